package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowHandlerFactory;
import dev.httptap.relay.FlowObserverFactory;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.SafeObserver;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The run's connection handlers: on every port but the {@code --http} ones, a connection that opens with
 * a TLS ClientHello is intercepted and its plaintext watched by the HTTPS observers; every other connection
 * is relayed as before, watched by the plain observers, unless it opens an HTTP proxy's CONNECT tunnel
 * ({@link ConnectTunnel}), whose inside is treated as a connection of its own to the tunnel's server.
 */
public final class Interception implements FlowHandlerFactory {
    private final FlowHandlerFactory plain;
    private final FlowObserverFactory https;
    private final Set<Integer> plainPorts;
    private final InterceptionContext context;

    /**
     * @param https makes the observer of an intercepted connection's plaintext
     * @param plainPorts ports never intercepted (they are HTTP by the user's word)
     */
    public Interception(FlowHandlerFactory plain, FlowObserverFactory https, Set<Integer> plainPorts,
            InterceptionContext context) {
        this.plain = plain;
        this.https = https;
        this.plainPorts = Set.copyOf(plainPorts);
        this.context = context;
    }

    @Override
    public FlowHandler open(FlowId flow, InetSocketAddress upstream, FlowPeers peers) {
        // A plain connection may be to an HTTP proxy: a CONNECT tunnel in it is a connection of its own.
        Supplier<FlowHandler> plainOrTunnel = () -> tunnels(flow, peers, context, checkedPlain(flow, upstream, peers, context));
        if (plainPorts.contains(flow.server().getPort())) {
            return HostGate.before(flow, peers, context.serverNames(), plainOrTunnel);
        }
        return gate(flow, upstream, peers, context, plainOrTunnel);
    }

    /**
     * Watches {@code connection}, to a proxy maybe, for CONNECT tunnels, whose inside is handled as the child's
     * own connection to the tunnel's server; {@code peers} are the connection's (an https:// proxy's
     * plaintext ends), through which the tunnel's bytes go, so a tunnel in a tunnel is followed too, decided
     * by the policy as the one around it ({@code context}: the check of the connection carrying it).
     */
    private FlowHandler tunnels(FlowId flow, FlowPeers peers, InterceptionContext context, FlowHandler connection) {
        InterceptionContext inTunnels = context.withServerNameCheck(context.serverNames().inTunnelsOf(flow));
        return new ConnectTunnel(flow, connection, tunnel -> gate(tunnel, tunnel.server(), new TunnelPeers(peers),
                inTunnels, () -> checkedPlain(tunnel, tunnel.server(), peers, inTunnels)));
    }

    private FlowHandler checkedPlain(FlowId flow, InetSocketAddress upstream, FlowPeers peers, InterceptionContext context) {
        return RequestGate.before(flow, peers, context.serverNames(), plain.open(flow, upstream, peers));
    }

    private FlowHandler gate(FlowId flow, InetSocketAddress upstream, FlowPeers peers, InterceptionContext context,
            Supplier<FlowHandler> plainHandler) {
        return new TlsGate(flow, upstream, peers, context, plainHandler, () -> SafeObserver.open(https, flow, upstream),
                this::tunnels);
    }
}
