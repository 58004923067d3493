package dev.httptap.tls;

import dev.httptap.log.Log;
import dev.httptap.stack.FlowId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The two TLS engines of one interception: towards the server, a client with the child's server name and
 * its offer of the protocols httptap follows, verifying the server; towards the child, a server with a leaf
 * from the run's CA for the same name, agreeing the protocol the server chose.
 */
final class InterceptionEngines {
    static final String HTTP_1_1 = "http/1.1";
    static final String H2 = "h2";
    /** The application protocols whose plaintext httptap follows, so the only ones it speaks for a child. */
    private static final List<String> FOLLOWED_PROTOCOLS = List.of(H2, HTTP_1_1);

    private final FlowId flow;
    private final InetSocketAddress upstreamAddress;
    private final ClientHello hello;
    private final String server;
    private final InterceptionContext context;

    /** {@code upstreamAddress} is the address actually dialled; {@code server} is "name:port". */
    InterceptionEngines(FlowId flow, InetSocketAddress upstreamAddress, ClientHello hello, String server,
            InterceptionContext context) {
        this.flow = flow;
        this.upstreamAddress = upstreamAddress;
        this.hello = hello;
        this.server = server;
        this.context = context;
    }

    /** Of the protocols a child offers, those httptap can follow, in the child's order of preference. */
    static List<String> followedProtocols(List<String> offered) {
        return offered.stream().filter(FOLLOWED_PROTOCOLS::contains).distinct().toList();
    }

    SSLEngine serverEngine() {
        // Without SNI the real server is checked against the address really dialled (the host alias maps).
        String peerHost = hello.serverName().orElse(upstreamAddress.getAddress().getHostAddress());
        SSLEngine engine = context.trust().newEngine(server, peerHost, upstreamAddress.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (context.trust().isVerifying()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        hello.serverName().ifPresent(name -> {
            try {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            } catch (IllegalArgumentException e) {
                Log.verbose("%s: the client's server name %s cannot be sent on: %s", flow, name, e.getMessage());
            }
        });
        List<String> offered = followedProtocols(hello.applicationProtocols());
        if (!offered.isEmpty()) {
            parameters.setApplicationProtocols(offered.toArray(String[]::new));
        }
        // The child's versions only: the server then agrees to the version it would agree to with the child,
        // or refuses as it would refuse the child (a TLS 1.0 client, a TLS 1.3-only one).
        List<String> versions = hello.versions().stream().filter(List.of(engine.getSupportedProtocols())::contains).toList();
        if (!versions.isEmpty()) {
            parameters.setProtocols(versions.toArray(String[]::new));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * The child's side, agreeing {@code protocol} at the TLS {@code version} the server agreed to (null: the
     * server's handshake failed); with a {@code defect} (null: none) its leaf has that defect.
     */
    SSLEngine clientEngine(String protocol, String version, ServerDefect defect) {
        InetAddress address = flow.server().getAddress();
        LeafAlgorithm algorithm = hello.leafAlgorithm(version);
        SSLContext leaf = defect != null
                ? context.leaves().withDefect(defect, hello.serverName(), address, algorithm)
                : hello.serverName()
                        .map(name -> context.leaves().forName(name, algorithm))
                        .orElseGet(() -> context.leaves().forAddress(address, algorithm));
        SSLEngine engine = leaf.createSSLEngine();
        engine.setUseClientMode(false);
        if (version != null && List.of(engine.getSupportedProtocols()).contains(version)) {
            engine.setEnabledProtocols(new String[] {version}); // what the child gets from the server itself
        }
        TlsLibrary.issueSessionTickets(engine);
        engine.setHandshakeApplicationProtocolSelector((ignored, offered) ->
                protocol != null && !protocol.isEmpty() && offered.contains(protocol) ? protocol : "");
        return engine;
    }
}
