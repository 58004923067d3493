package dev.httptap.tls;

import static dev.httptap.tls.InterceptionEngines.H2;
import static dev.httptap.tls.InterceptionEngines.HTTP_1_1;

import dev.httptap.http2.Http2Gate;
import dev.httptap.log.Log;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Stands in the middle of one TLS connection. Holding the child's ClientHello, it first completes TLS with
 * the real server (same SNI, the child's offer of h2 and http/1.1, the certificate verified), then answers the child's
 * handshake with a leaf from the run's CA for the same name and the protocol the server chose (the two
 * engines: {@link InterceptionEngines}), and from then on decrypts each side, shows the plaintext to the
 * observer and encrypts it for the other side.
 *
 * <p>A server that fails verification is never talked to. The child is shown a leaf with the same defect
 * ({@link ServerDefect}: expired, for other names, from an untrusted issuer), so it fails as it would have
 * with the server itself; a child that accepts it anyway (curl -k) gets a 502 saying why (in HTTP/2 for a
 * child that offered only h2, else in HTTP/1.1). A server whose handshake fails otherwise ends the child's
 * the same way: one that breaks the protocol (an alert, bytes that are not TLS) with a handshake_failure
 * alert, one that closes with a close. A child that refuses the leaf ({@link RefusalWatch}: with a
 * certificate alert, or by hanging up right after reading it) is reported (a PASSTHROUGH line), and its
 * later connections to the same server pass through untouched; a child that hangs up before it read the
 * leaf is not held to it.
 *
 * <p>A server that asks for a client certificate can only be given the child's own, which cannot cross an
 * intercepted connection ({@link CertificateRequests}): httptap drops its connection to the server and has
 * the relay dial it again, the child's held bytes sent first, and from then on relays the bytes untouched
 * (a PASSTHROUGH line); later connections to that server pass through at their ClientHello.
 *
 * <p>TLS in TLS (an {@code https://} proxy's CONNECT, found by {@link TunnelWatch}): the tunnel's interceptor
 * has this one's {@link PlaintextPeers} for peers and shares only the context; its sends re-enter this one's
 * endpoints from their callbacks, as a 502 does, which {@link TlsEndpoint} allows. TCP ends go through the
 * plaintext's handlers like its bytes, so the inside sees each half-close as behind an {@code http://} proxy.
 */
final class TlsInterceptor implements FlowHandler {
    /** Client bytes that may arrive before its handshake can start (early data, a pipelined request). */
    private static final int MAX_EARLY_BYTES = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** A fatal handshake_failure alert in a plaintext record (RFC 8446 section 6), as a server sends it before its hello. */
    private static final byte[] HANDSHAKE_FAILURE = {21, 3, 3, 0, 2, 2, 40};

    private enum State { SERVER_HANDSHAKE, CLIENT_HANDSHAKE, RELAYING, PASSING, CLOSED }

    private final FlowId flow;
    private final ClientHello hello;
    private final String server;
    private final FlowPeers peers;
    private final FlowObserver observer;
    private final InterceptionContext context;
    /** Looks for an https:// proxy's CONNECT tunnels in the HTTP/1 plaintext (see the class comment). */
    private final TunnelWatch tunnels;
    private final InterceptionEngines engines;
    private final HeldBytes earlyClientBytes = new HeldBytes(MAX_EARLY_BYTES);
    private final HeldBytes earlyServerBytes = new HeldBytes(MAX_EARLY_BYTES);
    private final TlsEndpoint upstream;
    private TlsEndpoint downstream;
    private State state = State.SERVER_HANDSHAKE;
    /** Why the server was not trusted; null while it is. */
    private String serverFailure;
    /** What was wrong with the server's certificate, shown to the child in the leaf; null unless that. */
    private ServerDefect serverDefect;
    /** What answers the child instead of that server, in the protocol agreed with the child; null until needed. */
    private BadGateway badGateway;
    private final RefusalWatch refusals;
    /** The child's bytes held before its handshake could start are being handed to it. */
    private boolean replayingEarlyBytes;
    /**
     * The plaintext once both handshakes are done: shown to the observer and sent on, each HTTP/1 or HTTP/2
     * request first checked by the egress policy ({@link RequestGate}, {@link Http2Gate}); null until the
     * child's side starts.
     */
    private FlowHandler plaintext;
    /** The bytes relayed as they are, once the server asked for a client certificate; null until then. */
    private FlowHandler untouched;
    /** When the child's ClientHello was complete, for the HAR's ssl time. */
    private final long startNanos = System.nanoTime();

    private TlsInterceptor(FlowId flow, InetSocketAddress upstreamAddress, ClientHello hello, String server,
            FlowPeers peers, FlowObserver observer, InterceptionContext context, TunnelWatch tunnels) {
        this.flow = flow;
        this.hello = hello;
        this.server = server;
        this.peers = peers;
        this.observer = observer;
        this.context = context;
        this.tunnels = tunnels;
        this.engines = new InterceptionEngines(flow, upstreamAddress, hello, server, context);
        this.refusals = new RefusalWatch(flow, server, context);
        this.upstream = new TlsEndpoint(engines.serverEngine(), new ServerSide());
    }

    /**
     * Starts TLS towards the server; {@code clientHello} (the child's first bytes) waits for the child's
     * side. {@code upstream} is the address actually dialled; {@code server} is "name:port", as reports and
     * the memory of refusing clients name it.
     */
    static TlsInterceptor start(FlowId flow, InetSocketAddress upstream, ClientHello hello, String server,
            ByteBuffer clientHello, FlowPeers peers, FlowObserver observer, InterceptionContext context,
            TunnelWatch tunnels) {
        TlsInterceptor interceptor = new TlsInterceptor(flow, upstream, hello, server, peers, observer, context, tunnels);
        interceptor.earlyClientBytes.add(clientHello);
        // The child's leaf is made beside the server's handshake, which it would otherwise follow.
        context.leaves().prepare(hello.serverName(), flow.server().getAddress(), hello.leafAlgorithm(null));
        try {
            interceptor.upstream.start();
        } catch (SSLException e) {
            interceptor.serverFailed(e);
        }
        return interceptor;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        if (state == State.PASSING) {
            untouched.onClientData(data);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (downstream == null) {
            if (!earlyClientBytes.add(data)) {
                giveUp("the client sent too much before its handshake could start");
            }
            return;
        }
        // Kept while the handshake lasts, to look for a refusal sent in the clear if the engine fails on it.
        ByteBuffer handshakeRecords = downstream.isHandshakeDone() ? EMPTY : data.duplicate();
        if (state == State.CLIENT_HANDSHAKE && !replayingEarlyBytes) {
            refusals.sawRecords(handshakeRecords);
        }
        try {
            downstream.receive(data);
        } catch (SSLException e) {
            if (!downstream.isHandshakeDone()) {
                clientHandshakeFailed(e, handshakeRecords);
            } else {
                giveUp("TLS with the client failed: " + FailureReason.of(e));
            }
            return;
        }
        if (downstream.isInboundDone() && serverFailure == null) {
            closeQuietly(upstream); // the child's close_notify, passed on
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        if (state == State.PASSING) {
            untouched.onServerData(data);
            return;
        }
        if (state == State.CLOSED || serverFailure != null) {
            return; // an unverified server is never listened to
        }
        try {
            upstream.receive(data);
        } catch (SSLException e) {
            if (passedThroughForCertificate()) {
                return; // it failed on the empty certificate httptap had to give
            }
            if (context.trust().fallsBackAfter(server, e)) {
                Log.verbose("%s: %s sent a handshake message larger than Conscrypt reads; its later connections use JSSE",
                        flow, server);
            }
            if (upstream.isHandshakeDone()) {
                giveUp("TLS with the server failed: " + FailureReason.of(e));
            } else if (upstream.holdsNonTlsRecord()) {
                serverLost("the TLS handshake failed", "the server sent bytes that are not TLS", true);
            } else {
                serverFailed(e);
            }
            return;
        }
        if (passedThroughForCertificate()) {
            return;
        }
        if (!upstream.isHandshakeDone() && upstream.holdsNonTlsRecord()) {
            serverLost("the TLS handshake failed", "the server sent bytes that are not TLS", true);
            return;
        }
        if (upstream.isInboundDone() && downstream != null && downstream.isHandshakeDone()) {
            closeQuietly(downstream);
        }
    }

    @Override
    public void onClientEnd() {
        if (state == State.PASSING) {
            untouched.onClientEnd();
            return;
        }
        if (state == State.CLIENT_HANDSHAKE) {
            refusals.hungUp(serverDefect);
            giveUp("the client left the handshake");
            return;
        }
        if (state == State.SERVER_HANDSHAKE) {
            state = State.CLOSED; // the child gave up waiting: nothing to report on either side
            peers.endClient();
        }
        if (state == State.RELAYING && serverFailure == null) {
            plaintext.onClientEnd(); // through the HTTP layers (and a tunnel's inside) to PlaintextPeers.endServer
            return;
        }
        if (state == State.RELAYING) {
            observer.onClientEnd();
            peers.endClient(); // the child is done with its 502 or never asked: nothing more to say
        }
        peers.endServer();
    }

    @Override
    public void onServerEnd() {
        if (state == State.PASSING) {
            untouched.onServerEnd();
            return;
        }
        if (serverFailure != null || state == State.CLOSED) {
            return;
        }
        if (!upstream.isHandshakeDone()) {
            serverLost("the TLS handshake failed", "the server closed the connection", false);
            return;
        }
        if (state == State.RELAYING) {
            plaintext.onServerEnd(); // through the HTTP layers (and a tunnel's inside) to PlaintextPeers.endClient
            return;
        }
        observer.onServerEnd();
        if (downstream != null) {
            closeQuietly(downstream);
        }
        peers.endClient();
    }

    @Override
    public void onClose(boolean reset) {
        if (reset && state == State.CLIENT_HANDSHAKE) {
            refusals.reset(serverDefect);
        }
        state = State.CLOSED;
        if (plaintext != null) {
            plaintext.onClose(reset); // reaches the observer, and a tunnel's own handler inside
        } else {
            observer.onClose(reset);
        }
    }

    /** The server checked out: the child gets a certificate for the same name and the same protocol. */
    private void serverReady() {
        String protocol = upstream.engine().getApplicationProtocol();
        Log.verbose("%s: TLS with %s established (%s, ALPN %s)", flow, server,
                upstream.engine().getSession().getProtocol(), protocol == null || protocol.isEmpty() ? "none" : protocol);
        if (H2.equals(protocol)) {
            context.h2Agreed().run();
        }
        startClientSide(protocol);
    }

    /**
     * Whether the connection passes through because the server asked for a client certificate in the step
     * just taken (see the class comment), or did before. Inside a proxy's tunnel, where the relay cannot dial
     * the server again, the handshake goes on without a certificate, as the server may allow.
     */
    private boolean passedThroughForCertificate() {
        if (state == State.PASSING) {
            return true;
        }
        if (!context.trust().takeCertificateRequest()) {
            return false;
        }
        State before = state;
        state = State.PASSING; // the old connection's last bytes are not the new one's
        if (!peers.redial()) {
            state = before;
            Log.verbose("%s: %s asks for a client certificate, which httptap cannot pass on here: going on without one",
                    flow, server);
            return false;
        }
        Log.verbose("%s: %s asks for a client certificate, which only the client has: passing the connection "
                + "through, and its later ones", flow, server);
        context.untouched().remember(server);
        context.upstreams().onPassThrough(flow, server, PassThroughCause.CLIENT_CERTIFICATE);
        untouched = FlowHandler.observing(FlowObserver.NONE, peers);
        untouched.onClientData(earlyClientBytes.take());
        return true;
    }

    /**
     * The handshake with the server failed. Over its certificate: tell the user, drop the server, and show
     * the child a leaf with the same defect. Otherwise the child's handshake ends unanswered.
     */
    private void serverFailed(SSLException failure) {
        Optional<ServerDefect> defect = ServerDefect.of(failure);
        if (defect.isEmpty()) {
            serverLost("the TLS handshake failed", FailureReason.of(failure), true);
            return;
        }
        serverDefect = defect.get();
        dropServer("cannot verify the TLS connection", FailureReason.of(failure));
        Log.verbose("%s: %s; showing the client a certificate %s", flow, serverFailure, serverDefect);
        startClientSide(offersOnlyH2() ? H2 : HTTP_1_1);
    }

    /**
     * The server's handshake failed other than over its certificate: the child's ends the same way, with
     * {@code alert} a handshake_failure (the server broke the protocol, which a direct client reports as
     * such, e.g. python's SSLError), else unanswered (the server closed: python's SSLEOFError).
     */
    private void serverLost(String what, String reason, boolean alert) {
        dropServer(what, reason);
        Log.verbose("%s: %s; ending the client's connection %s", flow, serverFailure, alert ? "with an alert" : "unanswered");
        state = State.CLOSED;
        if (alert) {
            peers.sendToClient(ByteBuffer.wrap(HANDSHAKE_FAILURE));
        }
        peers.endClient();
    }

    /** {@code what} went wrong with the server, and why: said to the user, and kept for a 502's body. */
    private void dropServer(String what, String reason) {
        serverFailure = what + " to " + server + ": " + reason;
        context.upstreams().onServerRejected(flow, server, what + ": " + reason);
        upstream.sendPendingAlert();
        peers.endServer();
    }

    /** A child that cannot speak HTTP/1.1 (node's http2, gRPC) gets its 502 in HTTP/2; any other in HTTP/1.1. */
    private boolean offersOnlyH2() {
        return InterceptionEngines.followedProtocols(hello.applicationProtocols()).equals(List.of(H2));
    }

    private void startClientSide(String protocol) {
        state = State.CLIENT_HANDSHAKE;
        PlaintextPeers plaintextPeers = new PlaintextPeers();
        FlowHandler relayed = FlowHandler.observing(observer, plaintextPeers);
        plaintext = H2.equals(protocol) ? Http2Gate.before(flow, plaintextPeers, context.serverNames(), relayed)
                : tunnels.around(flow, plaintextPeers, context,
                        RequestGate.before(flow, plaintextPeers, context.serverNames(), relayed));
        try {
            String version = serverDefect == null ? upstream.engine().getSession().getProtocol() : null;
            downstream = new TlsEndpoint(engines.clientEngine(protocol, version, serverDefect), new ClientSide(),
                    context.secrets() == null ? null : hello.random());
            downstream.start();
        } catch (RuntimeException | SSLException e) {
            giveUp("cannot start TLS with the client: " + e.getMessage());
            return;
        }
        ByteBuffer early = earlyClientBytes.take();
        replayingEarlyBytes = true; // sent before the client could have read our flight
        onClientData(early);
        replayingEarlyBytes = false;
    }

    /**
     * The child's handshake failed: reported ({@link RefusalWatch#handshakeFailed}), and its connection ends.
     * A child that refused httptap's leaf has gone: reset. Otherwise httptap's side failed (no cipher suite
     * in common, a version it does not speak) and the connection ends as a server ends it, with the alert and
     * then a FIN: a reset could destroy the alert unread, and the child would report a reset connection
     * instead of the TLS failure it reports without httptap.
     */
    private void clientHandshakeFailed(SSLException failure, ByteBuffer records) {
        boolean refused = refusals.handshakeFailed(failure, records, serverDefect);
        downstream.sendPendingAlert();
        state = State.CLOSED;
        if (refused && serverDefect == null) {
            peers.reset();
            return;
        }
        peers.endClient();
        if (serverDefect == null) {
            peers.endServer();
        }
    }

    private void giveUp(String reason) {
        Log.verbose("%s: %s; resetting", flow, reason);
        state = State.CLOSED;
        peers.reset();
    }

    private void answerBadGateway(ByteBuffer plaintext) {
        if (badGateway == null) {
            badGateway = BadGateway.speaking(downstream.engine().getApplicationProtocol(), serverFailure);
        }
        if (badGateway.isFinished()) {
            return;
        }
        observer.onClientData(plaintext.asReadOnlyBuffer());
        ByteBuffer answer = badGateway.answer(plaintext);
        try {
            if (answer.hasRemaining()) {
                observer.onServerData(answer.asReadOnlyBuffer());
                downstream.send(answer);
            }
            if (badGateway.isFinished()) {
                observer.onServerEnd();
                downstream.close();
                peers.endClient();
            }
        } catch (SSLException e) {
            giveUp("TLS with the client failed: " + FailureReason.of(e));
        }
    }

    private static void closeQuietly(TlsEndpoint endpoint) {
        try {
            endpoint.close();
        } catch (SSLException e) {
            Log.verbose("closing TLS: %s", FailureReason.of(e));
        }
    }

    /** What the server side produces: bytes for the server, plaintext from it. */
    private final class ServerSide implements TlsEndpoint.Output {
        @Override
        public void network(ByteBuffer bytes) {
            if (state != State.PASSING) {
                peers.sendToServer(bytes);
            }
        }

        @Override
        public void application(ByteBuffer bytes) {
            if (state == State.PASSING) {
                return;
            }
            if (state != State.RELAYING) {
                if (!earlyServerBytes.add(bytes)) {
                    giveUp("the server sent too much before the client's handshake finished");
                }
                return;
            }
            plaintext.onServerData(bytes);
        }

        @Override
        public void handshakeDone() {
            // TLS 1.3: the client's handshake is done before the server can refuse its empty certificate.
            if (!passedThroughForCertificate()) {
                serverReady();
            }
        }
    }

    /** What the child's side produces: bytes for the child, plaintext from it. */
    private final class ClientSide implements TlsEndpoint.Output {
        @Override
        public void network(ByteBuffer bytes) {
            peers.sendToClient(bytes);
        }

        @Override
        public void application(ByteBuffer bytes) {
            if (serverFailure != null) {
                answerBadGateway(bytes);
                return;
            }
            plaintext.onClientData(bytes);
        }

        @Override
        public void handshakeDone() {
            Log.verbose("%s: TLS with the client established for %s", flow, server);
            state = State.RELAYING;
            context.upstreams().onHandshake(flow, startNanos, System.nanoTime());
            if (!earlyServerBytes.isEmpty()) {
                plaintext.onServerData(earlyServerBytes.take());
            }
        }
    }

    private void sendToClient(ByteBuffer plaintext) {
        try {
            downstream.send(plaintext);
        } catch (SSLException e) {
            giveUp("TLS with the client failed: " + FailureReason.of(e));
        }
    }

    /** The plaintext's two ends: what is sent is encrypted for that side; an end is TLS's close, then TCP's. */
    private final class PlaintextPeers implements FlowPeers {
        @Override
        public void sendToServer(ByteBuffer bytes) {
            try {
                upstream.send(bytes);
            } catch (SSLException e) {
                giveUp("TLS with the server failed: " + FailureReason.of(e));
            }
        }

        @Override
        public void sendToClient(ByteBuffer bytes) {
            TlsInterceptor.this.sendToClient(bytes);
        }

        @Override
        public void endServer() {
            closeQuietly(upstream);
            peers.endServer();
        }

        @Override
        public void endClient() {
            closeQuietly(downstream);
            peers.endClient();
        }

        @Override
        public void reset() {
            giveUp("the plaintext's handler reset the connection (the egress policy, or a tunnel's TLS inside)");
        }
    }
}
