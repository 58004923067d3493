package dev.httptap.tls;

import dev.httptap.log.Log;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Holds a new connection's first client bytes until they say whether it is TLS. A complete ClientHello
 * hands the connection to a {@link TlsInterceptor}, unless a --passthrough pattern names its destination,
 * an earlier connection there could not be intercepted ({@link UntouchedServers}), or it offers only protocols other than
 * HTTP/1.1 and h2 or only cipher suites httptap's TLS lacks (those pass through untouched).
 * Anything else, a server that speaks first or a client that hangs up, makes it a plain relayed
 * connection (behind a {@link HostGate} when there is an egress policy), with the held bytes replayed
 * first so nothing is lost or reordered.
 */
final class TlsGate extends HoldingHandler {
    private final FlowId flow;
    private final InetSocketAddress upstream;
    private final FlowPeers peers;
    private final InterceptionContext context;
    private final Supplier<FlowHandler> plain;
    private final Supplier<FlowObserver> https;
    private final TunnelWatch tunnels;

    /**
     * @param plain the handler for a connection that is not TLS
     * @param https the observer of an intercepted connection's plaintext
     * @param tunnels what looks for a proxy's CONNECT tunnels in an intercepted connection's HTTP/1 plaintext
     */
    TlsGate(FlowId flow, InetSocketAddress upstream, FlowPeers peers, InterceptionContext context,
            Supplier<FlowHandler> plain, Supplier<FlowObserver> https, TunnelWatch tunnels) {
        super(ClientHelloParser.MAX_HELLO_BYTES + 1024);
        this.flow = flow;
        this.upstream = upstream;
        this.peers = peers;
        this.context = context;
        this.plain = plain;
        this.https = https;
        this.tunnels = tunnels;
    }

    @Override
    void read(ByteBuffer heldSoFar) {
        ClientHelloParser.Result result = ClientHelloParser.parse(heldSoFar);
        if (result instanceof ClientHelloParser.Result.Hello hello) {
            intercept(hello.hello());
        } else if (result instanceof ClientHelloParser.Result.NotTls notTls) {
            passThrough(notTls.reason());
        }
    }

    @Override
    void decideWithout(String reason) {
        passThrough(reason);
    }

    private void intercept(ClientHello hello) {
        if (context.serverNames().refusal(flow, hello.serverName(), ServerNameCheck.Source.TLS_SERVER_NAME).isPresent()) {
            Log.verbose("%s: TLS to %s, which the egress policy denies: refusing", flow, hello.serverName().orElse("no name"));
            held.take();
            decided = RefusedConnection.withTlsAlert(peers);
            return;
        }
        String server = hello.serverName().map(name -> name + ":" + flow.server().getPort())
                .orElseGet(() -> IpAddress.of(flow.server().getAddress()).withPort(flow.server().getPort()));
        if (context.passThrough().stream().anyMatch(pattern -> pattern.matches(hello.serverName(), flow.server()))) {
            Log.verbose("%s: TLS to %s, which --passthrough names: passing through", flow, server);
            context.upstreams().onPassThrough(flow, server, PassThroughCause.PASSTHROUGH_OPTION);
            passUntouched();
            return;
        }
        if (context.untouched().contains(server)) {
            Log.verbose("%s: TLS to %s, which could not be intercepted earlier in this run: passing through", flow, server);
            passUntouched();
            return;
        }
        List<String> protocols = hello.applicationProtocols();
        if (!protocols.isEmpty() && InterceptionEngines.followedProtocols(protocols).isEmpty()) {
            // Only HTTP/1.1 and HTTP/2 are spoken inside: a client offering neither must reach its server as is.
            Log.verbose("%s: TLS to %s offering only %s: passing through", flow, server, protocols);
            passUntouched();
            return;
        }
        if (!hello.sharesCipherSuite()) {
            Log.verbose("%s: TLS to %s offering only cipher suites httptap's TLS lacks: passing through", flow, server);
            context.upstreams().onPassThrough(flow, server, PassThroughCause.NO_SHARED_CIPHER_SUITE);
            passUntouched();
            return;
        }
        Log.verbose("%s: TLS to %s, intercepting", flow, server);
        decided = TlsInterceptor.start(flow, upstream, hello, server, held.take(), peers, https.get(), context,
                tunnels);
    }

    /** Relays the TLS connection as it is, unobserved. */
    private void passUntouched() {
        decided = FlowHandler.observing(FlowObserver.NONE, peers);
        decided.onClientData(held.take());
    }

    private void passThrough(String reason) {
        Log.verbose("%s: not intercepting TLS: %s", flow, reason);
        decided = HostGate.before(flow, peers, context.serverNames(), plain);
        if (!held.isEmpty()) {
            decided.onClientData(held.take());
        }
    }
}
