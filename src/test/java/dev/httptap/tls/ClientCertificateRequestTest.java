package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.event.ExchangeClock;
import dev.httptap.event.RecordingListener;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.sniff.HttpSniffer;
import dev.httptap.sniff.SniffOptions;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that asks for a client certificate, driven in memory: the interceptor gives up its own handshake
 * and asks its peers for a new connection to the server, which gets every byte the child sent, its held
 * ClientHello first, and answers the child itself.
 */
class ClientCertificateRequestTest {
    static {
        JsseLimits.apply();
    }

    private static final String HOST = "mtls.example.test";
    private static final String SERVER = HOST + ":443";
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));

    private final CertificateAuthority serverCa = CertificateAuthority.create(Instant.now());
    private final CertificateAuthority httptapCa = CertificateAuthority.create(Instant.now());
    private final UntouchedServers untouched = new UntouchedServers();
    private final RecordingListener listener = new RecordingListener();
    private final List<String> passedThrough = new ArrayList<>();
    @TempDir
    Path dir;

    @Test
    void theKeyManagerOffersNoCertificateAndNotesTheRequestForItsThreadOnce() throws Exception {
        CertificateRequests requests = new CertificateRequests();
        assertNull(requests.chooseEngineClientAlias(new String[] {"RSA"}, null, null));
        boolean[] seenElsewhere = new boolean[1];
        Thread other = new Thread(() -> seenElsewhere[0] = requests.takeAsked());
        other.start();
        other.join();
        assertFalse(seenElsewhere[0], "another connection's thread was not asked");
        assertTrue(requests.takeAsked());
        assertFalse(requests.takeAsked(), "taken once");
    }

    /** TLS 1.3, where httptap's own handshake completes before the server could refuse it, and TLS 1.2. */
    @ParameterizedTest
    @ValueSource(strings = {"TLS", "TLSv1.2"})
    void theConnectionStartsAgainUntouchedWithTheChildsHeldBytes(String protocol) throws Exception {
        SSLContext server = serverContext();
        InMemoryConnection connection = connect(TlsInterceptorTest.clientTrusting(serverCa.certificate(), protocol), server);
        connection.redialedServer = askingEngine(server);
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);

        X509Certificate shown = (X509Certificate) connection.client.engine().getSession().getPeerCertificates()[0];
        assertEquals(1, connection.redials);
        assertArrayEquals(connection.clientSentRaw.toByteArray(), connection.serverRaw.toByteArray(),
                "the new connection got every byte the child sent, its ClientHello first");
        assertEquals(serverCa.certificate().getSubjectX500Principal(), shown.getIssuerX500Principal(),
                "the child met the server itself");
        assertEquals(REQUEST, connection.serverText());
        assertEquals(RESPONSE, connection.clientText());
        assertFalse(connection.reset);
        assertEquals(List.of(SERVER + " CLIENT_CERTIFICATE"), passedThrough);
        assertTrue(untouched.contains(SERVER), "later connections pass through at the ClientHello");
        assertEquals(List.of(), listener.events, "no exchange is seen");
    }

    /** Inside a proxy's tunnel no new connection can be had: the handshake goes on, without a certificate. */
    @Test
    void wherePeersCannotRedialTheHandshakeGoesOnWithoutACertificate() throws Exception {
        InMemoryConnection connection = connect(TlsInterceptorTest.clientTrusting(httptapCa.certificate(), "TLS"), serverContext());
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);

        assertEquals(RESPONSE, connection.clientText());
        assertEquals(List.of(), passedThrough);
        assertFalse(untouched.contains(SERVER));
        assertTrue(listener.events.get(listener.events.size() - 1).startsWith("finished GET https://" + HOST + "/ 200"),
                listener.events.toString());
    }

    private SSLContext serverContext() {
        return new LeafContexts(CompletableFuture.completedFuture(serverCa), LeafContexts.MAX_ENTRIES, Runnable::run)
                .forName(HOST, LeafAlgorithm.EC);
    }

    /** A server engine asking for a client certificate it does not require. */
    private static SSLEngine askingEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setWantClientAuth(true);
        return engine;
    }

    private InMemoryConnection connect(SSLContext clientContext, SSLContext serverContext) throws Exception {
        SSLEngine client = clientContext.createSSLEngine(HOST, 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(HOST)));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        client.setSSLParameters(parameters);

        InMemoryConnection connection = new InMemoryConnection(client, askingEngine(serverContext));
        Path pem = Files.writeString(dir.resolve("server-ca.pem"), Pem.certificate(serverCa.certificate()));
        InterceptionContext context = new InterceptionContext(UpstreamTrust.create(Optional.of(pem), false),
                new LeafContexts(CompletableFuture.completedFuture(httptapCa), LeafContexts.MAX_ENTRIES, Runnable::run),
                untouched).withUpstreamObserver(new UpstreamObserver() {
                    @Override
                    public void onPassThrough(FlowId flow, String server, PassThroughCause cause) {
                        passedThrough.add(server + " " + cause);
                    }
                });
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        connection.handler = new Interception((flow, upstream, peers) -> FlowHandler.observing(FlowObserver.NONE, peers),
                sniffer.https(), Set.of(80), context).open(FLOW, new InetSocketAddress("127.0.0.1", 443), connection);
        return connection;
    }
}
