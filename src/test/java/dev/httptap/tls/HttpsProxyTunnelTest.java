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
    private static final String CONNECT = "CONNECT " + TARGET + ":443 HTTP/1.1\r\nHost: " + TARGET + ":443\r\n\r\n";
    private static final String REQUEST = "GET /items HTTP/1.1\r\nHost: " + TARGET + "\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    private final CertificateAuthority serverCa = CertificateAuthority.create(Instant.now());
    private final CertificateAuthority httptapCa = CertificateAuthority.create(Instant.now());
    private final LeafContexts serverLeaves = new LeafContexts(CompletableFuture.completedFuture(serverCa),
            LeafContexts.MAX_ENTRIES, Runnable::run);
    private final RecordingListener listener = new RecordingListener();
    /** The server names the egress policy was asked about, and the one it refuses (null: none). */
    private final List<String> checkedNames = new ArrayList<>();
    private String deniedName;

    @TempDir
    Path dir;
    private ProxiedTlsConnection connection;

    /** The child's connection to the proxy, its TLS done; its client inside the tunnel will ask for {@code innerName}. */
    private ProxiedTlsConnection open(String innerName) throws Exception {
        Path pem = Files.writeString(dir.resolve("server-ca.pem"), Pem.certificate(serverCa.certificate()));
        ServerNameCheck names = (flow, name, port, source) -> {
            checkedNames.add(name.orElse("-") + ":" + port);
            return name.filter(text -> text.equals(deniedName)).map(denied -> "deny " + denied);
        };
        InterceptionContext context = new InterceptionContext(UpstreamTrust.create(Optional.of(pem), false),
                new LeafContexts(CompletableFuture.completedFuture(httptapCa), LeafContexts.MAX_ENTRIES, Runnable::run),
                new UntouchedServers()).withServerNameCheck(names);
        ProxiedTlsConnection opened = new ProxiedTlsConnection(child(PROXY), server(PROXY), child(innerName), server(TARGET));
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        opened.handler = new Interception((flow, upstream, peers) -> FlowHandler.observing(FlowObserver.NONE, peers),
                sniffer.https(), Set.of(80), context).open(TO_PROXY, new InetSocketAddress("127.0.0.1", 3129), opened);
        opened.handshake();
        return opened;
    }

    @Test
    void theRequestsInsideTheTunnelAreShownDecryptedAndCrossUnchanged() throws Exception {
        connection = open(TARGET);
        connection.childSendsToProxy(CONNECT);
        connection.openTunnel();
        connection.childSendsToTarget(REQUEST);
        connection.targetSends(RESPONSE);

        assertAll(
                () -> assertEquals(CONNECT, ProxiedTlsConnection.text(connection.proxyRead), "the proxy's CONNECT"),
                () -> assertEquals(connection.proxyAnswer, ProxiedTlsConnection.text(connection.childRead)),
                () -> assertEquals(REQUEST, ProxiedTlsConnection.text(connection.targetReceived)),
                () -> assertEquals(RESPONSE, ProxiedTlsConnection.text(connection.childReceived)),
                () -> assertEquals(List.of(PROXY + ":3129", TARGET + ":443", TARGET + ":443", TARGET + ":443"), checkedNames,
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
        connection = open(TARGET);
        // A response that ends with the connection: only the end passed inside the tunnel finishes it.
        connection.childSendsToProxy(CONNECT);
        connection.openTunnel();
        connection.childSendsToTarget(REQUEST);
        connection.targetSends("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
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
        connection = open(TARGET);
        // The child hangs up without closing either TLS: its FIN ends the inner connection as it would
        // behind an http:// proxy, with httptap's close_notify to the target, then the proxy's.
        connection.childSendsToProxy(CONNECT);
        connection.openTunnel();
        connection.childSendsToTarget(REQUEST);
        connection.targetSends(RESPONSE);
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
                () -> assertEquals(List.of(PROXY + ":3129", TARGET + ":443", deniedName + ":443"), checkedNames),
                () -> assertTrue(String.valueOf(connection.failure).contains("access_denied"), () -> "the child's TLS: "
                        + connection.failure),
                () -> assertEquals(CONNECT, ProxiedTlsConnection.text(connection.proxyRead), "nothing after the CONNECT"),
                () -> assertEquals(0, connection.targetReceived.size()),
                () -> assertTrue(connection.serverEnded && connection.clientEnded, "both sides ended"),
                () -> assertFalse(connection.reset));
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
        SSLContext context = serverLeaves.forName(name);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }
}
