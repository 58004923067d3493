package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.event.ExchangeClock;
import dev.httptap.event.RecordingListener;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.sniff.HttpSniffer;
import dev.httptap.sniff.SniffOptions;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

/**
 * A child behind an {@code https://} proxy: TLS to the proxy, intercepted; CONNECT inside it; TLS to the target
 * inside the tunnel, intercepted too. Driven in memory ({@link ProxiedTlsConnection}).
 */
class HttpsProxyTunnelTest {
    static {
        JsseLimits.apply(); // before this JVM's JSSE initialises, as TLS start-up does
    }

    private static final String PROXY = "proxy.example.test";
    private static final String TARGET = "api.example.test";
    private static final FlowId TO_PROXY = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 3129));
    private static final FlowId TO_PLAIN_PROXY = new FlowId(TO_PROXY.client(), new InetSocketAddress("192.0.2.10", 3128));
    private static final String CONNECT = "CONNECT " + TARGET + ":443 HTTP/1.1\r\nHost: " + TARGET + ":443\r\n\r\n";
    private static final String REQUEST = "GET /items HTTP/1.1\r\nHost: " + TARGET + "\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    private final CertificateAuthority serverCa = CertificateAuthority.create(Instant.now());
    private final CertificateAuthority httptapCa = CertificateAuthority.create(Instant.now());
    private final LeafContexts serverLeaves = new LeafContexts(CompletableFuture.completedFuture(serverCa),
            LeafContexts.MAX_ENTRIES, Runnable::run);
    private final RecordingListener listener = new RecordingListener();
    /**
     * The server names the egress policy was asked about, each after the ports of the connections whose
     * tunnels it was derived for ("in 3129: name:443"), and the one it refuses (null: none).
     */
    private final List<String> checkedNames = new ArrayList<>();
    private String deniedName;
    /** The child reaches the https:// proxy through a plain http:// proxy's tunnel first (a tunnel in a tunnel). */
    private boolean throughPlainProxy;

    @TempDir
    Path dir;
    private ProxiedTlsConnection connection;

    /** The child's connection to the proxy, its TLS done; its client inside the tunnel will ask for {@code innerName}. */
    private ProxiedTlsConnection open(String innerName) throws Exception {
        Path pem = Files.writeString(dir.resolve("server-ca.pem"), Pem.certificate(serverCa.certificate()));
        InterceptionContext context = new InterceptionContext(UpstreamTrust.create(Optional.of(pem), false),
                new LeafContexts(CompletableFuture.completedFuture(httptapCa), LeafContexts.MAX_ENTRIES, Runnable::run),
                new UntouchedServers()).withServerNameCheck(names(""));
        ProxiedTlsConnection opened = new ProxiedTlsConnection(child(PROXY), server(PROXY), child(innerName), server(TARGET));
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        FlowId flow = throughPlainProxy ? TO_PLAIN_PROXY : TO_PROXY;
        opened.handler = new Interception((ignored, upstream, peers) -> FlowHandler.observing(FlowObserver.NONE, peers),
                sniffer.https(), Set.of(80), context).open(flow, new InetSocketAddress("127.0.0.1", flow.server().getPort()),
                opened);
        if (throughPlainProxy) {
            String plainConnect = "CONNECT " + PROXY + ":3129 HTTP/1.1\r\n\r\n";
            String established = "HTTP/1.1 200 Connection established\r\n\r\n";
            opened.handler.onClientData(ByteBuffer.wrap(plainConnect.getBytes(StandardCharsets.US_ASCII)));
            opened.handler.onServerData(ByteBuffer.wrap(established.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(plainConnect, new String(opened.toServer.remove(), StandardCharsets.US_ASCII));
            assertEquals(established, new String(opened.toClient.remove(), StandardCharsets.US_ASCII));
        }
        opened.handshake();
        return opened;
    }

    /** The egress policy's check, as derived for the tunnels of the connections named in {@code path}. */
    private ServerNameCheck names(String path) {
        return new ServerNameCheck() {
            @Override
            public Optional<String> refusal(FlowId flow, Optional<String> name, int port, Source source) {
                checkedNames.add(path + name.orElse("-") + ":" + port);
                return name.filter(text -> text.equals(deniedName)).map(denied -> "deny " + denied);
            }

            @Override
            public ServerNameCheck inTunnelsOf(FlowId outer) {
                return names(path + "in " + outer.server().getPort() + ": ");
            }
        };
    }

    @Test
    void theRequestsInsideTheTunnelAreShownDecryptedAndCrossUnchanged() throws Exception {
        askThroughTheTunnel(RESPONSE);

        assertAll(
                () -> assertEquals(CONNECT, ProxiedTlsConnection.text(connection.proxyRead), "the proxy's CONNECT"),
                () -> assertEquals(connection.proxyAnswer, ProxiedTlsConnection.text(connection.childRead)),
                () -> assertEquals(REQUEST, ProxiedTlsConnection.text(connection.targetReceived)),
                () -> assertEquals(RESPONSE, ProxiedTlsConnection.text(connection.childReceived)),
                () -> assertEquals(List.of(PROXY + ":3129", TARGET + ":443", "in 3129: " + TARGET + ":443",
                        "in 3129: " + TARGET + ":443"), checkedNames,
                        "the SNI to the proxy, the CONNECT target, the SNI inside, the request's Host inside"),
                () -> assertEquals(List.of("finished CONNECT https://" + TARGET + ":443 200 COMPLETE 0/0",
                        "finished GET https://" + TARGET + "/items 200 COMPLETE 0/5"), finished()),
                () -> assertIssuedByHttptap(connection.childToProxy.engine(), PROXY),
                () -> assertIssuedByHttptap(connection.childToTarget.engine(), TARGET),
                () -> assertFalse(connection.reset),
                () -> assertNull(connection.failure));
    }

    @Test
    void theTargetsEndReachesTheExchangeInsideAndTheChild() throws Exception {
        // A response that ends with the connection: only the end passed inside the tunnel finishes it.
        askThroughTheTunnel("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
        connection.closes(connection.target);
        connection.closes(connection.proxy);
        connection.handler.onServerEnd();
        connection.run();

        assertAll(
                () -> assertEquals(List.of("finished CONNECT https://" + TARGET + ":443 200 COMPLETE 0/0",
                        "finished GET https://" + TARGET + "/items 200 COMPLETE 0/13"), finished()),
                () -> assertTrue(connection.childToTarget.isInboundDone(), "the target's close_notify, inside"),
                () -> assertTrue(connection.childToProxy.isInboundDone(), "the proxy's close_notify"),
                () -> assertTrue(connection.clientEnded, "the proxy's FIN"),
                () -> assertFalse(connection.serverEnded),
                () -> assertFalse(connection.reset));
    }

    @Test
    void theChildsEndReachesTheConnectionInsideTheTunnel() throws Exception {
        // The child hangs up without closing either TLS: its FIN ends the inner connection as it would
        // behind an http:// proxy, with httptap's close_notify to the target, then the proxy's.
        askThroughTheTunnel(RESPONSE);
        connection.handler.onClientEnd();
        connection.run();

        assertAll(
                () -> assertTrue(connection.target.isInboundDone(), "close_notify to the target, inside the tunnel"),
                () -> assertTrue(connection.proxy.isInboundDone(), "close_notify to the proxy"),
                () -> assertTrue(connection.serverEnded, "the FIN, passed on"),
                () -> assertFalse(connection.clientEnded),
                () -> assertFalse(connection.reset),
                () -> assertNull(connection.failure));
    }

    @Test
    void theServerNameInsideTheTunnelIsDecidedByThePolicy() throws Exception {
        // The CONNECT names an allowed target; the TLS inside names another (domain fronting through a proxy).
        deniedName = "fronted.example.test";
        connection = open(deniedName);
        connection.childSendsToProxy(CONNECT);
        connection.openTunnel();

        assertAll(
                () -> assertEquals(List.of(PROXY + ":3129", TARGET + ":443", "in 3129: " + deniedName + ":443"), checkedNames),
                () -> assertTrue(String.valueOf(connection.failure).contains("access_denied"), () -> "the child's TLS: "
                        + connection.failure),
                () -> assertEquals(CONNECT, ProxiedTlsConnection.text(connection.proxyRead), "nothing after the CONNECT"),
                () -> assertEquals(0, connection.targetReceived.size()),
                () -> assertTrue(connection.serverEnded && connection.clientEnded, "both sides ended"),
                () -> assertFalse(connection.reset));
    }

    @Test
    void aTunnelInATunnelIsCheckedAsTheConnectionCarryingIt() throws Exception {
        // http:// proxy (3128) -> TLS to the https:// proxy (3129) -> CONNECT -> TLS to the target: each check is
        // derived from the one of the connection carrying the tunnel, so back to the real connection's, which the
        // policy knows (derived from the run's check for a tunnel's own flow, it would know nothing, and allow all).
        throughPlainProxy = true;
        askThroughTheTunnel(RESPONSE);

        assertAll(
                () -> assertEquals(List.of("-:3128", PROXY + ":3129", "in 3128: " + PROXY + ":3129",
                        "in 3128: " + TARGET + ":443", "in 3128: in 3129: " + TARGET + ":443",
                        "in 3128: in 3129: " + TARGET + ":443"), checkedNames, "the connection (no name), the plain "
                        + "CONNECT, the SNI to the proxy, the CONNECT inside, the SNI and the Host inside that"),
                () -> assertEquals(RESPONSE, ProxiedTlsConnection.text(connection.childReceived)),
                () -> assertEquals(List.of("finished CONNECT https://" + TARGET + ":443 200 COMPLETE 0/0",
                        "finished GET https://" + TARGET + "/items 200 COMPLETE 0/5"), finished()));
    }

    /** Opens the connection, the tunnel inside it and TLS inside that; sends {@link #REQUEST}, answered with {@code response}. */
    private void askThroughTheTunnel(String response) throws Exception {
        connection = open(TARGET);
        connection.childSendsToProxy(CONNECT);
        connection.openTunnel();
        connection.childSendsToTarget(REQUEST);
        connection.targetSends(response);
    }

    private List<String> finished() {
        return listener.events.stream().filter(event -> event.startsWith("finished")).toList();
    }

    private void assertIssuedByHttptap(SSLEngine child, String name) throws Exception {
        X509Certificate shown = (X509Certificate) child.getSession().getPeerCertificates()[0];
        assertEquals(httptapCa.certificate().getSubjectX500Principal(), shown.getIssuerX500Principal(), name);
        assertEquals(List.of(List.of(2, name)), List.copyOf(shown.getSubjectAlternativeNames()));
    }

    private SSLEngine child(String name) {
        SSLEngine engine = TlsInterceptorTest.clientTrusting(httptapCa.certificate(), "TLS").createSSLEngine(name, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(name)));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        engine.setSSLParameters(parameters);
        return engine;
    }

    private SSLEngine server(String name) {
        SSLContext context = serverLeaves.forName(name, LeafAlgorithm.EC);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }
}
