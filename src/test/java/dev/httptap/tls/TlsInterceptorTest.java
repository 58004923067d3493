package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.event.ExchangeClock;
import dev.httptap.event.RecordingListener;
import dev.httptap.http2.Http2Frames;
import dev.httptap.policy.DestinationPattern;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowHandlerFactory;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.sniff.HttpSniffer;
import dev.httptap.sniff.SniffOptions;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interception layer driven by bytes in memory, with SSLEngines playing the child and the server. */
class TlsInterceptorTest {
    static {
        JsseLimits.apply(); // before this JVM's JSSE initialises, as TLS start-up does
    }

    private static final String HOST = "api.example.test";
    private static final String REQUEST = "GET /items HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));

    /** The real server's own CA, which only --ca-file makes httptap trust. */
    private final CertificateAuthority serverCa = CertificateAuthority.create(Instant.now());
    private final CertificateAuthority httptapCa = CertificateAuthority.create(Instant.now());
    /** The leaves httptap shows children, kept across the connections of a test as across those of a run. */
    /** How often the context was told a child offered h2. */
    private int h2Agreements;
    private final LeafContexts httptapLeaves = new LeafContexts(CompletableFuture.completedFuture(httptapCa), LeafContexts.MAX_ENTRIES, Runnable::run);
    private final RecordingListener listener = new RecordingListener();
    private final UntouchedServers untouched = new UntouchedServers();
    private final RecordingPlainHandlers plain = new RecordingPlainHandlers();
    /** What the error lines would say: "server: reason" for each server that could not be talked to. */
    private final List<String> rejections = new java.util.ArrayList<>();
    /** What the PASSTHROUGH lines would say: "server cause" for each connection passed through. */
    private final List<String> passedThrough = new java.util.ArrayList<>();
    /** The run's --passthrough patterns. */
    private List<DestinationPattern> passThroughPatterns = List.of();
    /** The egress policy's check of server names. */
    private ServerNameCheck serverNames = ServerNameCheck.ALL;
    /** Who hears the child side's TLS secrets (--dump-pcap, --keylog); null for nobody. */
    private SecretListener secrets;
    /** The leaves shown the child when {@link #secrets} is set, made on the first connection. */
    private LeafContexts loggingLeaves;

    @TempDir
    Path dir;
    /** The name the child connects to and checks the certificate against. */
    private String clientHost = HOST;
    /** The SNI the child sends, when not {@link #clientHost} itself. */
    private SNIServerName clientSni;
    /** The child sends no SNI at all. */
    private boolean withoutSni;
    /** The TLS versions the real server agrees to; null: its library's. */
    private String[] serverVersions;
    /** The cipher suites the child offers; null: its library's. */
    private String[] clientSuites;

    /** httptap agrees with the child to the TLS version the server chose: TLS 1.2 here, as from the server itself. */
    @Test
    void theChildGetsTheTlsVersionTheServerAgreedTo() throws Exception {
        serverVersions = new String[] {"TLSv1.2"};
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);

        assertEquals(REQUEST, connection.serverText());
        assertEquals("TLSv1.2", connection.client.engine().getSession().getProtocol());
    }

    /**
     * A child offering TLS 1.3 and, for TLS 1.2, only RSA suites, whose server speaks TLS 1.2 only: it gets
     * TLS 1.2 and so an RSA leaf (an ECDSA one, right for TLS 1.3, left it no suite).
     */
    @Test
    void aChildHeldToTlsTwelveByItsServerGetsTheLeafItsTlsTwelveSuitesTake() throws Exception {
        serverVersions = new String[] {"TLSv1.2"};
        clientSuites = new String[] {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);

        assertEquals(REQUEST, connection.serverText());
        assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", connection.client.engine().getSession().getCipherSuite());
    }

    @Test
    void decryptsBothWaysAndReportsTheExchangeAsHttps() throws Exception {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);

        assertEquals(REQUEST, connection.serverText());
        assertEquals(RESPONSE, connection.clientText());
        assertEquals("finished GET https://" + HOST + "/items 200 COMPLETE 0/5", listener.events.get(listener.events.size() - 1));
        assertEquals("http/1.1", connection.client.engine().getApplicationProtocol());
        assertEquals("http/1.1", connection.server.engine().getApplicationProtocol());
        X509Certificate shown = (X509Certificate) connection.client.engine().getSession().getPeerCertificates()[0];
        assertEquals(httptapCa.certificate().getSubjectX500Principal(), shown.getIssuerX500Principal());
        assertEquals(List.of(List.of(2, HOST)), List.copyOf(shown.getSubjectAlternativeNames()));
        assertFalse(connection.reset);
    }

    /**
     * With a capture, each TLS 1.3 secret of the child's side is told, under the ClientHello's random, before
     * any record it protects reaches the child: while only the plaintext ServerHello (and the compatibility
     * ChangeCipherSpec) have gone out, none encrypted. The exchange crosses as without.
     */
    @Test
    void eachSecretIsToldBeforeAnyRecordItProtectsReachesTheChild() throws Exception {
        List<String> heard = new java.util.ArrayList<>();
        InMemoryConnection[] connection = new InMemoryConnection[1];
        secrets = (label, random, secret) -> heard.add(label + " " + random + ", "
                + encryptedRecords(connection[0].clientRaw.toByteArray()) + " encrypted records sent");
        connection[0] = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection[0].handshake();
        connection[0].clientSends(REQUEST);
        connection[0].serverSends(RESPONSE);

        String random = heard.isEmpty() ? "" : heard.get(0).split("[ ,]")[1];
        assertTrue(random.matches("[0-9a-f]{64}"), random);
        assertEquals(List.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                        "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET").stream()
                        .map(label -> label + " " + random + ", 0 encrypted records sent").toList(),
                heard);
        assertEquals(RESPONSE, connection[0].clientText());
    }

    /** TLS 1.2: the master secret, as the key log's CLIENT_RANDOM, once the client's key exchange is read. */
    @Test
    void aTls12ConnectionTellsItsMasterSecret() throws Exception {
        List<String> heard = new java.util.ArrayList<>();
        secrets = (label, random, secret) -> heard.add(label + " " + secret.length);
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate(), "TLSv1.2"), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);

        assertEquals("TLSv1.2", connection.client.engine().getSession().getProtocol());
        assertEquals(List.of("CLIENT_RANDOM 48"), heard);
        assertEquals(RESPONSE, connection.clientText());
    }

    /** How many TLS records in {@code bytes} (whole records, back to back) are of type application_data. */
    private static int encryptedRecords(byte[] bytes) {
        int count = 0;
        for (int at = 0; at + 5 <= bytes.length; at += 5 + (((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff))) {
            count += bytes[at] == 23 ? 1 : 0;
        }
        return count;
    }

    /** Domain fronting: the SNI is allowed, a later request on the connection names a denied server. */
    @Test
    void aRequestInsideForADeniedHostGets403AndNeverReachesTheServer() throws Exception {
        List<String> asked = new java.util.ArrayList<>();
        serverNames = (flow, name, port, source) -> {
            asked.add(name.orElse("-") + " " + source);
            return name.filter("denied.test"::equals).map(denied -> "--deny denied.test");
        };
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);
        connection.clientSends("GET /secret HTTP/1.1\r\nHost: denied.test\r\n\r\n");

        assertEquals(REQUEST, connection.serverText());
        assertEquals(RESPONSE + "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 71\r\nConnection: close\r\n\r\nhttptap: the egress policy blocks denied.test:443 (--deny denied.test)\n",
                connection.clientText());
        assertEquals(List.of(HOST + " TLS_SERVER_NAME", HOST + " HTTP_HOST", "denied.test HTTP_HOST"), asked);
        assertTrue(connection.clientEnded);
        assertTrue(connection.serverEnded);
    }

    @Test
    void aBodyOfManyRecordsCrossesIntact() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 1 << 20; i++) {
            body.append(i).append(',');
        }
        String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        connection.serverSends(response);
        assertEquals(response, connection.clientText());
        assertEquals("finished GET https://" + HOST + "/items 200 COMPLETE 0/" + body.length(),
                listener.events.get(listener.events.size() - 1));
    }

    @Test
    void aClientHelloArrivingByteByByteIsStillIntercepted() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.clientBytesOneByOne = true;
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);
        assertEquals(REQUEST, connection.serverText());
        assertEquals(RESPONSE, connection.clientText());
    }

    @Test
    void theServersChoiceOfH2ReachesTheClientAndItsStreamsAreReported() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.server.engine().setHandshakeApplicationProtocolSelector((engine, offered) ->
                offered.equals(List.of("h2", "http/1.1")) ? "h2" : "");
        connection.handshake();
        Http2Frames client = new Http2Frames().preface().settings().request(1, true, "GET", "https", HOST, "/items");
        Http2Frames server = new Http2Frames().settings().response(1, false, 200).data(1, true, "hello");
        String request = new String(client.take(), StandardCharsets.ISO_8859_1);
        String response = new String(server.take(), StandardCharsets.ISO_8859_1);
        connection.clientSends(request);
        connection.serverSends(response);

        assertEquals("h2", connection.client.engine().getApplicationProtocol());
        assertEquals(request, connection.serverText());
        assertEquals(response, connection.clientText());
        assertEquals("finished GET https://" + HOST + "/items 200 COMPLETE 0/5", listener.events.get(listener.events.size() - 1));
        assertEquals("HTTP/2", listener.finished.get(0).request().version());
    }

    @Test
    void httpTwoSetUpStartsWhenAServerAgreesToH2AndOnlyThen() throws IOException {
        InMemoryConnection http1 = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(), HOST, "h2", "http/1.1");
        http1.server.engine().setHandshakeApplicationProtocolSelector((engine, offered) -> "http/1.1");
        http1.handshake();
        assertEquals("http/1.1", http1.client.engine().getApplicationProtocol());
        assertEquals(0, h2Agreements, "the child offered h2, the server spoke HTTP/1.1");

        InMemoryConnection h2 = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(), HOST, "h2", "http/1.1");
        h2.server.engine().setHandshakeApplicationProtocolSelector((engine, offered) -> "h2");
        h2.handshake();
        assertEquals("h2", h2.client.engine().getApplicationProtocol());
        assertEquals(1, h2Agreements);
    }

    @Test
    void aClientOfferingOnlyH2IsIntercepted() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(), HOST, "h2");
        connection.server.engine().setHandshakeApplicationProtocolSelector((engine, offered) -> "h2");
        connection.handshake();
        assertEquals("h2", connection.client.engine().getApplicationProtocol());
        assertEquals("h2", connection.server.engine().getApplicationProtocol());
    }

    @Test
    void aClientOfferingNeitherHttp1NorH2PassesThroughUntouched() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(serverCa.certificate()), trustingServerCa(), HOST,
                "spdy/3.1");
        connection.server.engine().setHandshakeApplicationProtocolSelector((engine, offered) -> "spdy/3.1");
        connection.handshake();
        connection.clientSends("spdy bytes, as far as this test cares");
        assertEquals("spdy/3.1", connection.client.engine().getApplicationProtocol());
        assertEquals("spdy bytes, as far as this test cares", connection.serverText());
        assertEquals(0, plain.opened);
    }

    @Test
    void aServerCertificateForAnotherNameIsNotTrustedAndTheChildSeesACertificateForAnotherName() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(),
                "other.example.test", "http/1.1");
        connection.handshake();

        assertChildRefusedItsStandIn(connection, "No subject alternative DNS name matching " + HOST);
    }

    @Test
    void anExpiredServerCertificateIsNotTrustedAndTheChildSeesAnExpiredOne() throws IOException {
        Instant now = Instant.now();
        IssuedCertificate expired = serverCa.issue(CertificateAuthority.dnsName(HOST),
                now.minus(java.time.Duration.ofDays(10)), now.minus(java.time.Duration.ofDays(3)), LeafAlgorithm.EC);
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(),
                serverContext(new LeafKeyManager(expired)), "http/1.1");
        connection.handshake();

        assertChildRefusedItsStandIn(connection, "validity check failed");
    }

    /** The child's own check refused the leaf it was shown, as it would the server's: nothing else happened. */
    private void assertChildRefusedItsStandIn(InMemoryConnection connection, String childsReason) {
        assertNotNull(connection.clientFailure, "the child accepted a certificate it should not have");
        assertTrue(String.valueOf(connection.clientFailure.getCause()).contains(childsReason),
                () -> String.valueOf(connection.clientFailure.getCause()));
        assertNotNull(connection.serverFailure, "the server saw an alert, not a request");
        assertEquals("", connection.serverText());
        assertTrue(connection.clientEnded, "the child's connection ends as a server ends it after an alert");
        assertFalse(connection.reset);
        assertTrue(untouched.contains(HOST + ":443"), "later connections pass through: the child judges the server itself");
        assertEquals(List.of(), listener.events);
    }

    /**
     * A child pinning the server's private CA, which httptap was not given: it refuses the stand-in for the
     * untrusted server once (httptap cannot know whom the child trusts), then reaches the server itself.
     */
    @Test
    void aChildTrustingTheServersPrivateCaReachesItOnItsNextConnection() throws IOException {
        UpstreamTrust systemDefaults = UpstreamTrust.create(Optional.empty(), false);
        InMemoryConnection first = connect(clientTrusting(serverCa.certificate()), systemDefaults);
        first.handshake();
        assertNotNull(first.clientFailure);
        assertEquals("", first.serverText());

        InMemoryConnection later = connect(clientTrusting(serverCa.certificate()), systemDefaults);
        later.handshake();
        later.clientSends(REQUEST);
        assertNull(later.clientFailure);
        assertEquals(REQUEST, later.serverText(), "the child talks to the real server itself");
    }

    /** Bytes that are no TLS record in the server's handshake: the child's fails with an alert, never a 502. */
    @Test
    void aServerHandshakeOfGarbageFailsTheChildsWithAnAlert() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.serverDeaf = true;
        connection.handshake();
        connection.handler.onServerData(ByteBuffer.wrap(new byte[] {0x16, 0x03, 0x03, 0x00, 0x04, 0x7f, 0x00, 0x00, 0x00,
            'g', 'a', 'r', 'b', 'a', 'g', 'e'}).asReadOnlyBuffer());
        connection.run();
        assertNotNull(connection.clientFailure);
        assertTrue(connection.clientFailure.getMessage().contains("handshake_failure"), connection.clientFailure.getMessage());
        assertTrue(connection.clientEnded);
        assertTrue(connection.serverEnded);
        assertEquals(1, rejections.size(), rejections.toString());
        assertTrue(rejections.get(0).startsWith(HOST + ":443: the TLS handshake failed: "), rejections.toString());
        assertEquals(List.of(), listener.events);
    }

    /** JSSE would wait for the 29,000 bytes the garbage's "header" claims; a direct client fails at once. */
    @Test
    void garbageAfterAValidServerHelloFailsTheChildsAtOnce() {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()),
                UpstreamTrust.create(Optional.empty(), true));
        connection.serverDeaf = true;
        connection.handshake();
        byte[] hello = new byte[45]; // TLS 1.2, a zero random, no session id, ECDHE-RSA-AES128-GCM-SHA256, renegotiation_info
        hello[0] = 3;
        hello[1] = 3;
        byte[] tail = {(byte) 0xc0, 0x2f, 0, 0, 5, (byte) 0xff, 1, 0, 1, 0};
        System.arraycopy(tail, 0, hello, 35, tail.length);
        ByteBuffer flight = ByteBuffer.allocate(100).put(new byte[] {22, 3, 3, 0, (byte) (hello.length + 4), 2, 0, 0,
            (byte) hello.length}).put(hello).put("this is garbage".getBytes(StandardCharsets.US_ASCII)).flip();
        connection.handler.onServerData(flight.asReadOnlyBuffer());
        connection.run();
        assertNotNull(connection.clientFailure, "failed before the server's close, which may never come");
        assertTrue(connection.clientFailure.getMessage().contains("handshake_failure"), connection.clientFailure.getMessage());
        assertEquals(List.of(HOST + ":443: the TLS handshake failed: the server sent bytes that are not TLS"), rejections);
    }

    @Test
    void aServerClosingInItsHandshakeClosesTheChildsUnanswered() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.serverDeaf = true;
        connection.handshake();
        connection.handler.onServerEnd();
        connection.run();
        assertTrue(connection.clientEnded);
        assertNull(connection.clientFailure, "no alert: the child sees the close, as it would have");
        assertEquals(List.of(HOST + ":443: the TLS handshake failed: the server closed the connection"), rejections);
    }

    @Test
    void closingPassesCloseNotifyOnAndEndsTheOtherSide() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        connection.serverSends(RESPONSE);
        connection.handler.onServerEnd();
        assertTrue(connection.clientEnded);
        connection.handler.onClientEnd();
        assertTrue(connection.serverEnded);
    }

    @Test
    void anUnverifiableServerIsNeverTalkedToAndTheChildRefusesTheUntrustedLeafItIsShown() throws IOException {
        UpstreamTrust systemDefaults = UpstreamTrust.create(Optional.empty(), false);
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), systemDefaults);
        connection.handshake();

        assertChildRefusedItsStandIn(connection, "PKIX path building failed");
    }

    @Test
    void aChildThatTakesAnyCertificateIsAnsweredA502SayingWhy() throws IOException {
        UpstreamTrust systemDefaults = UpstreamTrust.create(Optional.empty(), false);
        InMemoryConnection connection = connect(clientTrustingAnything(), systemDefaults);
        connection.handshake();
        connection.clientSends(REQUEST);

        assertTrue(connection.clientText().startsWith("HTTP/1.1 502 Bad Gateway\r\n"), connection.clientText());
        assertTrue(connection.clientText().contains("cannot verify the TLS connection to " + HOST
                + ":443: its certificate is not signed by a trusted CA"), connection.clientText());
        assertEquals("", connection.serverText());
        assertNotNull(connection.serverFailure, "the server saw an alert, not a request");
        assertTrue(connection.clientEnded);
        assertEquals("finished GET https://" + HOST + "/items 502 COMPLETE 0/"
                + (connection.clientText().length() - connection.clientText().indexOf("\r\n\r\n") - 4),
                listener.events.get(listener.events.size() - 1));
    }

    @Test
    void aClientOfferingOnlyH2GetsItsBadGatewayInHttp2() {
        InMemoryConnection connection = connect(clientTrustingAnything(),
                UpstreamTrust.create(Optional.empty(), false), HOST, "h2");
        connection.handshake();
        Http2Frames client = new Http2Frames().preface().settings().request(1, true, "GET", "https", HOST, "/items");
        connection.clientSends(new String(client.take(), StandardCharsets.ISO_8859_1));

        assertEquals("h2", connection.client.engine().getApplicationProtocol());
        assertTrue(connection.clientText().contains("httptap: cannot verify the TLS connection to " + HOST
                + ":443: its certificate is not signed by a trusted CA"), connection.clientText());
        assertFalse(connection.clientEnded, "the shutdown waits for the PING to come back");
        connection.clientSends(new String(client.frame(0x6, 0x1, 0, "httptap!".getBytes(StandardCharsets.US_ASCII))
                .take(), StandardCharsets.ISO_8859_1));
        assertTrue(connection.clientEnded);
        assertEquals("", connection.serverText());
        assertTrue(listener.events.get(listener.events.size() - 1)
                .matches("finished GET https://" + HOST + "/items 502 COMPLETE 0/\\d+"), listener.events.toString());
        assertEquals("HTTP/2", listener.finished.get(0).response().orElseThrow().version());
    }

    @Test
    void laterConnectionsToAServerResumeTheSessionVerifiedOnTheFirst() throws IOException {
        UpstreamTrust trust = trustingServerCa();
        CountingKeyManager serverKeys = new CountingKeyManager(new LeafKeyManager(serverCa.issue(HOST)));
        SSLContext server = serverContext(serverKeys);
        int[] keysUsed = new int[2];
        for (int i = 0; i < 2; i++) {
            InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trust, server, "http/1.1");
            connection.handshake();
            connection.clientSends(REQUEST);
            assertEquals(REQUEST, connection.serverText());
            keysUsed[i] = serverKeys.privateKeysHandedOut;
        }
        assertEquals(1, keysUsed[0], "the first connection is a full handshake, the certificate checked");
        assertEquals(1, keysUsed[1], "the second resumed: the server showed no certificate, signed nothing");
    }

    /** Conscrypt issues no session tickets unless asked to, and a TLS 1.3 client resumes only with one. */
    @Test
    void theChildResumesItsSessionOnItsNextConnection() throws Exception {
        assertEquals(1, serverChecksOverTwoConnections("TLS"), "the second connection resumed: no certificate to check");
    }

    /**
     * How many times a child of {@code protocol} (its SSLContext's) checked the server's certificate over two
     * connections, each with an exchange, with a session cache between them.
     */
    private int serverChecksOverTwoConnections(String protocol) throws Exception {
        UpstreamTrust trust = trustingServerCa();
        CountingTrust childTrust = new CountingTrust();
        SSLContext child = SSLContext.getInstance(protocol);
        child.init(null, new javax.net.ssl.TrustManager[] {childTrust}, null);
        for (int i = 0; i < 2; i++) {
            InMemoryConnection connection = connect(child, trust);
            connection.handshake();
            connection.clientSends(REQUEST);
            connection.serverSends(RESPONSE); // a TLS 1.3 ticket comes with the first records after the handshake
            assertEquals(RESPONSE, connection.clientText());
        }
        return childTrust.serverChecks;
    }

    /**
     * A TLS 1.2 child resuming its session under a capture derives no master secret: the session's is told again,
     * under the new connection's random, so that its records decrypt even where the first connection is not
     * in the capture. Told once per connection.
     */
    @Test
    void aTls12ChildResumingItsSessionTellsTheMasterSecretUnderItsNewRandom() throws Exception {
        List<String> heard = new java.util.ArrayList<>();
        secrets = (label, random, secret) -> heard.add(label + " " + random + " " + java.util.HexFormat.of().formatHex(secret));
        assertEquals(1, serverChecksOverTwoConnections("TLSv1.2"), "the second connection resumed: no certificate to check");
        assertEquals(2, heard.size(), heard::toString);
        String[] first = heard.get(0).split(" ");
        String[] second = heard.get(1).split(" ");
        assertEquals(List.of("CLIENT_RANDOM", "CLIENT_RANDOM"), List.of(first[0], second[0]));
        assertNotEquals(first[1], second[1], "each under its own connection's random");
        assertEquals(first[2], second[2], "the session's one master secret");
    }

    @Test
    void aServerThatFailedVerificationIsCheckedAgainOnEveryConnection() throws IOException {
        UpstreamTrust systemDefaults = UpstreamTrust.create(Optional.empty(), false);
        for (int i = 0; i < 2; i++) {
            InMemoryConnection connection = connect(clientTrustingAnything(), systemDefaults);
            connection.handshake();
            connection.clientSends(REQUEST);
            assertTrue(connection.clientText().startsWith("HTTP/1.1 502 Bad Gateway\r\n"), connection.clientText());
            assertEquals("", connection.serverText());
        }
    }

    @Test
    void insecureTalksToAnyServer() {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()),
                UpstreamTrust.create(Optional.empty(), true));
        connection.handshake();
        connection.clientSends(REQUEST);
        assertEquals(REQUEST, connection.serverText());
    }

    @Test
    void aClientRefusingTheCertificateIsRememberedAndLaterPassedThrough() throws IOException {
        assertRefusalIsRememberedAndLaterPassedThrough();
    }

    /** With a capture the child's side is Bouncy Castle's TLS, which words the alert it read its own way. */
    @Test
    void aClientRefusingTheCertificateUnderACaptureIsRememberedAndLaterPassedThrough() throws IOException {
        secrets = (label, random, secret) -> { };
        assertRefusalIsRememberedAndLaterPassedThrough();
    }

    private void assertRefusalIsRememberedAndLaterPassedThrough() throws IOException {
        UpstreamTrust trust = trustingServerCa();
        InMemoryConnection refusing = connect(clientTrusting(serverCa.certificate()), trust);
        refusing.handshake();
        assertNotNull(refusing.clientFailure);
        assertTrue(refusing.reset);
        assertTrue(untouched.contains(HOST + ":443"));

        assertEquals(List.of(HOST + ":443 UNTRUSTED_CA"), passedThrough, "the refusal is reported");

        InMemoryConnection later = connect(clientTrusting(serverCa.certificate()), trust);
        later.handshake();
        later.clientSends(REQUEST);
        assertEquals(REQUEST, later.serverText(), "the child talks to the real server itself");
        assertEquals(0, plain.opened, "passed through without the plain observers");
    }

    /** java.net.http's HttpClient refuses a certificate by hanging up, after its ChangeCipherSpec. */
    @Test
    void aClientHangingUpRightAfterReadingTheLeafIsTakenForARefusal() throws IOException {
        assertTakenForARefusal(silent -> silent.handler.onClientEnd());
    }

    /** GnuTLS (apt) at times resets instead, after its ChangeCipherSpec. */
    @Test
    void aClientResettingRightAfterReadingTheLeafIsTakenForARefusal() throws IOException {
        assertTakenForARefusal(silent -> silent.handler.onClose(true));
    }

    /**
     * GnuTLS (apt) refuses with a close_notify under its handshake keys in place of its Finished, which the
     * engine takes for a broken handshake: here a record of that size the engine cannot read either.
     */
    @Test
    void aClientSendingARecordInPlaceOfItsFinishedAfterReadingTheLeafIsTakenForARefusal() throws IOException {
        byte[] encryptedAlert = new byte[5 + 19];
        encryptedAlert[0] = 23; // application_data, as every TLS 1.3 record under keys
        encryptedAlert[1] = 3;
        encryptedAlert[2] = 3;
        encryptedAlert[4] = 19; // a 2-byte alert, its content type and a 16-byte tag
        assertTakenForARefusal(silent -> {
            silent.handler.onClientData(ByteBuffer.wrap(encryptedAlert));
            assertTrue(silent.reset);
        });
    }

    /** A child refusing the leaf without an alert (after its ChangeCipherSpec), then leaving as {@code leaving} does. */
    private void assertTakenForARefusal(Consumer<InMemoryConnection> leaving) throws IOException {
        InMemoryConnection silent = connect(clientTrusting(serverCa.certificate()), trustingServerCa());
        silent.clientSilentOnFailure = true;
        silent.handshake();
        assertNotNull(silent.clientFailure);
        leaving.accept(silent);

        assertTrue(untouched.contains(HOST + ":443"));
        assertEquals(List.of(HOST + ":443 UNTRUSTED_CA"), passedThrough);
    }

    @Test
    void aClientResettingBeforeReadingTheLeafIsNotTakenForARefusal() throws IOException {
        InMemoryConnection leaving = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        leaving.clientDeaf = true;
        leaving.handshake();
        leaving.handler.onClose(true);
        assertFalse(untouched.contains(HOST + ":443"));
        assertEquals(List.of(), passedThrough);
    }

    @Test
    void aDestinationNamedByAPassthroughPatternIsNeverInterceptedNotEvenFirst() throws IOException {
        passThroughPatterns = List.of(DestinationPattern.parse("other.test"), DestinationPattern.parse("*.example.test:443"));
        InMemoryConnection connection = connect(clientTrusting(serverCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);

        assertNull(connection.clientFailure, "the child trusting only the server's CA got the server's certificate");
        assertEquals(REQUEST, connection.serverText());
        assertEquals(List.of(HOST + ":443 PASSTHROUGH_OPTION"), passedThrough);
        assertEquals(List.of(), listener.events, "nothing observed");
    }

    @Test
    void withoutSniTheDestinationIsNamedByItsAddressInUrlForm() throws IOException {
        passThroughPatterns = List.of(DestinationPattern.parse("192.0.2.10"));
        withoutSni = true;
        InMemoryConnection connection = connect(clientTrusting(serverCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);

        assertEquals(REQUEST, connection.serverText());
        assertEquals(List.of("192.0.2.10:443 PASSTHROUGH_OPTION"), passedThrough);
    }

    @Test
    void aNameLongerThanACommonNameMayBeIsInterceptedWithTheNameInTheSubjectAltNameOnly() throws Exception {
        clientHost = "a-label-of-fifty-characters-for-the-long-name-test.another-label-of-forty-characters-x.example.test";
        assertTrue(clientHost.length() > 64);
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa(), clientHost,
                "http/1.1");
        connection.handshake();
        connection.clientSends(REQUEST);
        assertNull(connection.clientFailure);
        assertEquals(REQUEST, connection.serverText());
        X509Certificate shown = (X509Certificate) connection.client.engine().getSession().getPeerCertificates()[0];
        assertEquals(List.of(List.of(2, clientHost)), List.copyOf(shown.getSubjectAlternativeNames()));
    }

    @Test
    void anSniEndingInADotIsInterceptedAsTheNameWithoutIt() throws Exception {
        clientSni = new RawHostName(HOST + ".");
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        connection.handshake();
        connection.clientSends(REQUEST);
        assertNull(connection.clientFailure, "the child's handshake completed");
        assertEquals(REQUEST, connection.serverText());
        assertFalse(untouched.contains(HOST + ".:443"));
        X509Certificate shown = (X509Certificate) connection.client.engine().getSession().getPeerCertificates()[0];
        assertEquals(List.of(List.of(2, HOST)), List.copyOf(shown.getSubjectAlternativeNames()));
    }

    @Test
    void aClientLeavingTheHandshakeIsNotTakenForARefusal() throws IOException {
        UpstreamTrust trust = trustingServerCa();
        InMemoryConnection leaving = connect(clientTrusting(httptapCa.certificate()), trust);
        leaving.clientDeaf = true;
        leaving.handshake();
        leaving.handler.onClientEnd();
        assertTrue(leaving.reset);
        assertFalse(untouched.contains(HOST + ":443"));

        InMemoryConnection later = connect(clientTrusting(httptapCa.certificate()), trust);
        later.handshake();
        later.clientSends(REQUEST);
        assertEquals(REQUEST, later.serverText());
        X509Certificate shown = (X509Certificate) later.client.engine().getSession().getPeerCertificates()[0];
        assertEquals(httptapCa.certificate().getSubjectX500Principal(), shown.getIssuerX500Principal(),
                "still intercepted");
    }

    /**
     * A chain of 100 certificates, over 32 KiB: JSSE reads it (its limits raised by {@link JsseLimits}), and so
     * does Conscrypt, until the JSSE server sends the chain back in a session ticket over BoringSSL's 16 KiB
     * for a message after the handshake: that connection fails, and the later ones go through JSSE.
     */
    @Test
    void aServerChainOfAHundredCertificatesIsTalkedToWithInsecure() throws Exception {
        SSLContext longChain = LongChain.serverContext(HOST, 98, 64);
        UpstreamTrust insecure = UpstreamTrust.create(Optional.empty(), true);
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), insecure, longChain, "http/1.1");
        connection.handshake();
        if (!TlsLibrary.chosen().isJsse()) {
            assertTrue(connection.reset, "the ticket was over BoringSSL's limit");
            connection = connect(clientTrusting(httptapCa.certificate()), insecure, longChain, "http/1.1");
            connection.handshake();
        }
        connection.clientSends(REQUEST);
        assertNull(connection.serverFailure);
        assertEquals(REQUEST, connection.serverText(), "no 502: the server's 100 certificates were read");
        connection.serverSends(RESPONSE);
        assertEquals(RESPONSE, connection.clientText());
    }

    /** An SNI host name sent as it is, which {@link SNIHostName} would refuse (a trailing dot). */
    private static final class RawHostName extends SNIServerName {
        RawHostName(String name) {
            super(StandardConstants.SNI_HOST_NAME, name.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void garbageAfterATlsLookingStartPassesThroughUnchanged() throws IOException {
        InMemoryConnection connection = connect(clientTrusting(httptapCa.certificate()), trustingServerCa());
        byte[] garbage = {0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00, 'x', 'y'};
        connection.handler.onClientData(ByteBuffer.wrap(garbage).asReadOnlyBuffer());
        connection.run();
        assertEquals(1, plain.opened);
        assertEquals(List.of(new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1)), plain.clientData);
    }

    private InMemoryConnection connect(SSLContext clientContext, UpstreamTrust trust) {
        return connect(clientContext, trust, HOST, "h2", "http/1.1");
    }

    private InMemoryConnection connect(SSLContext clientContext, UpstreamTrust trust, String serverName,
            String... protocols) {
        return connect(clientContext, trust, new LeafContexts(CompletableFuture.completedFuture(serverCa), LeafContexts.MAX_ENTRIES, Runnable::run).forName(serverName, LeafAlgorithm.EC),
                protocols);
    }

    private InMemoryConnection connect(SSLContext clientContext, UpstreamTrust trust, SSLContext serverContext,
            String... protocols) {
        SSLEngine client = clientContext.createSSLEngine(clientHost, 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(withoutSni ? List.of()
                : List.of(clientSni != null ? clientSni : new SNIHostName(clientHost)));
        parameters.setApplicationProtocols(protocols);
        if (clientSuites != null) {
            parameters.setCipherSuites(clientSuites);
        }
        client.setSSLParameters(parameters);

        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setHandshakeApplicationProtocolSelector((engine, offered) -> offered.contains("http/1.1") ? "http/1.1" : "");
        if (serverVersions != null) {
            server.setEnabledProtocols(serverVersions);
        }

        InMemoryConnection connection = new InMemoryConnection(client, server);
        InterceptionContext context = new InterceptionContext(trust, httptapLeaves, untouched)
                .withPassThrough(passThroughPatterns)
                .withServerNameCheck(serverNames)
                .withUpstreamObserver(new UpstreamObserver() {
                    @Override
                    public void onServerRejected(FlowId flow, String server, String reason) {
                        rejections.add(server + ": " + reason);
                    }

                    @Override
                    public void onPassThrough(FlowId flow, String server, PassThroughCause cause) {
                        passedThrough.add(server + " " + cause);
                    }
                });
        if (secrets != null) {
            // The run's one set of leaves that tell secrets, whose session caches its connections share.
            loggingLeaves = loggingLeaves != null ? loggingLeaves : httptapLeaves.loggingSecretsTo(secrets);
            context = new InterceptionContext(context.trust(), loggingLeaves, context.untouched(), context.passThrough(),
                    context.upstreams(), context.serverNames(), secrets, () -> h2Agreements++);
        }
        context = context.whenH2Agreed(() -> h2Agreements++);
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        connection.handler = new Interception(plain, sniffer.https(), Set.of(80), context)
                .open(FLOW, new InetSocketAddress("127.0.0.1", 443), connection);
        return connection;
    }

    private UpstreamTrust trustingServerCa() throws IOException {
        Path pem = dir.resolve("server-ca.pem");
        Files.writeString(pem, Pem.certificate(serverCa.certificate()));
        return UpstreamTrust.create(Optional.of(pem), false);
    }

    private static SSLContext clientTrusting(X509Certificate anchor) {
        return clientTrusting(anchor, "TLS");
    }

    /** {@code protocol}: the SSLContext's, e.g. "TLSv1.2" for a client that offers nothing newer. */
    static SSLContext clientTrusting(X509Certificate anchor, String protocol) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("anchor", anchor);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A child that checks nothing, as curl -k. */
    /** Takes any server certificate, counting the checks (a JSSE client checks through the engine's variant). */
    private static final class CountingTrust extends UpstreamTrust.TrustingEverything {
        int serverChecks;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            serverChecks++;
        }
    }

    private static SSLContext clientTrustingAnything() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new UpstreamTrust.TrustingEverything()}, null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SSLContext serverContext(X509ExtendedKeyManager keys) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            return context;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A server's keys that count the handshakes in which the server had to sign with its own key. */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        int privateKeysHandedOut;

        CountingKeyManager(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            privateKeysHandedOut++;
            return keys.getPrivateKey(alias);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** The plain relay path, recording whether and with what it was used. */
    private static final class RecordingPlainHandlers implements FlowHandlerFactory {
        int opened;
        final List<String> clientData = new java.util.ArrayList<>();

        @Override
        public FlowHandler open(FlowId flow, InetSocketAddress upstream, dev.httptap.relay.FlowPeers peers) {
            opened++;
            return FlowHandler.observing(new FlowObserver() {
                @Override
                public void onClientData(ByteBuffer data) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    clientData.add(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }, peers);
        }
    }
}
