package dev.httptap.tls;

import dev.httptap.log.Log;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * One intercepted TLS connection played in memory, between httptap's two sides, before the child's first:
 * a leaf issued by a CA, a server engine presenting it, a client engine checking it as a real server's chain
 * is checked (the JDK's path check, the name as HTTPS checks it), a handshake and a record each way.
 *
 * <p>Why: a run's first intercepted connection cost ~200 ms more than its later ones (TLS phase 225-250 ms
 * against 34-45 on this machine), all of it the cold JVM (loading and initialising classes, Bouncy Castle's
 * certificate builder, the JDK's X.509 parser, interpreted code), none of it cryptography. Played on a thread
 * of its own while the child starts, that work is done before the child's ClientHello arrives. Nothing of it
 * reaches the child, a server or any output; a failure is only logged with --verbose. Measured (docs/benchmarks.md,
 * session 9): a child whose first HTTPS request comes 0.7 s after it starts got its first response 0.20 -> 0.07 s
 * after asking; a child asking at once gains nothing, as the rehearsal stands down when its connection begins.
 */
final class TlsRehearsal {
    /** A name no DNS answers (RFC 6761), so the leaf can never stand for a real server. */
    static final String SERVER_NAME = "rehearsal.httptap.invalid";
    /** A handshake takes a few rounds; an engine that keeps answering is cut off. */
    private static final int MAX_ROUNDS = 64;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: rehearsal.httptap.invalid\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private TlsRehearsal() {}

    /**
     * Plays the connection over {@code library} with a leaf from {@code authority}, checked by a client that
     * trusts {@code anchor} (the authority's own certificate in a run), step by step while {@code wanted}
     * holds (a real connection warms the same code, and the rehearsal would only compete with it for the
     * cores); true if it got to the end.
     */
    static boolean play(CertificateAuthority authority, X509Certificate anchor, TlsLibrary library, BooleanSupplier wanted) {
        try {
            if (!wanted.getAsBoolean()) {
                return false;
            }
            SSLEngine server = serverEngine(authority, library);
            if (!wanted.getAsBoolean()) {
                return false;
            }
            Pair pair = new Pair(server, clientEngine(anchor, library));
            pair.client.start();
            pair.exchange(wanted);
            pair.client.send(ByteBuffer.wrap(REQUEST));
            pair.exchange(wanted);
            pair.server.send(ByteBuffer.wrap(RESPONSE));
            pair.exchange(wanted);
            return pair.client.isHandshakeDone() && pair.server.isHandshakeDone() && wanted.getAsBoolean();
        } catch (GeneralSecurityException | SSLException | RuntimeException e) {
            Log.verbose("TLS rehearsal: %s", e.getMessage());
            return false;
        }
    }

    private static SSLEngine serverEngine(CertificateAuthority authority, TlsLibrary library) throws GeneralSecurityException {
        SSLContext context = library.newContext();
        context.init(new KeyManager[] {new LeafKeyManager(authority.issue(SERVER_NAME))}, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }

    private static SSLEngine clientEngine(X509Certificate anchor, TlsLibrary library) throws GeneralSecurityException {
        TrustManager trust = new TlsThirteenAuthType(UpstreamTrust.managerOver(List.of(anchor)));
        SSLEngine engine = new UpstreamContexts(library, trust).forServer(SERVER_NAME + ":443")
                .createSSLEngine(SERVER_NAME, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Two endpoints whose network bytes are queued for each other and handed over in rounds. */
    private static final class Pair {
        final Queue<ByteBuffer> toServer = new ArrayDeque<>();
        final Queue<ByteBuffer> toClient = new ArrayDeque<>();
        final TlsEndpoint server;
        final TlsEndpoint client;

        Pair(SSLEngine serverEngine, SSLEngine clientEngine) {
            this.server = new TlsEndpoint(serverEngine, into(toClient));
            this.client = new TlsEndpoint(clientEngine, into(toServer));
        }

        void exchange(BooleanSupplier wanted) throws SSLException {
            for (int round = 0; round < MAX_ROUNDS && !(toServer.isEmpty() && toClient.isEmpty()) && wanted.getAsBoolean(); round++) {
                while (!toServer.isEmpty()) {
                    server.receive(toServer.remove());
                }
                while (!toClient.isEmpty()) {
                    client.receive(toClient.remove());
                }
            }
        }

        private static TlsEndpoint.Output into(Queue<ByteBuffer> queue) {
            return new TlsEndpoint.Output() {
                @Override
                public void network(ByteBuffer bytes) {
                    queue.add(ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip());
                }

                @Override
                public void application(ByteBuffer bytes) {
                    // the rehearsal's plaintext is not needed, only the work of decrypting it
                }

                @Override
                public void handshakeDone() {
                }
            };
        }
    }
}
