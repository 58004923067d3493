package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The engines' settings, read back without a handshake. */
class InterceptionEnginesTest {
    static {
        JsseLimits.apply(); // before this JVM's JSSE initialises, as TLS start-up does
    }

    private static final String HOST = "api.example.test";
    private static final InetSocketAddress DIALLED = new InetSocketAddress("127.0.0.1", 8443);
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));

    private final LeafContexts leaves = new LeafContexts(
            CompletableFuture.completedFuture(CertificateAuthority.create(Instant.now())), LeafContexts.MAX_ENTRIES,
            Runnable::run);

    @Test
    void onlyTheProtocolsHttptapFollowsAreOfferedUpstream() {
        assertEquals(List.of("h2", "http/1.1"), InterceptionEngines.followedProtocols(List.of("spdy/3.1", "h2", "http/1.1")));
        assertEquals(List.of("http/1.1"), InterceptionEngines.followedProtocols(List.of("http/1.1", "h3")));
        assertEquals(List.of(), InterceptionEngines.followedProtocols(List.of("acme-tls/1")));
    }

    @Test
    void theServerIsAskedForTheChildsNameAndFollowedProtocolsAndItsNameIsVerified() {
        SSLEngine engine = engines(Optional.of(HOST), List.of("spdy/3.1", "http/1.1", "h2"), false).serverEngine();

        SSLParameters parameters = engine.getSSLParameters();
        assertTrue(engine.getUseClientMode());
        assertEquals(List.of(new SNIHostName(HOST)), parameters.getServerNames());
        assertArrayEquals(new String[] {"http/1.1", "h2"}, parameters.getApplicationProtocols());
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertEquals(HOST, engine.getPeerHost());
    }

    @Test
    void withoutSniTheServerIsCheckedAgainstTheAddressDialledAndInsecureChecksNoName() {
        SSLEngine engine = engines(Optional.empty(), List.of(), true).serverEngine();

        assertEquals("127.0.0.1", engine.getPeerHost());
        assertEquals(8443, engine.getPeerPort());
        assertNull(engine.getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals(0, engine.getSSLParameters().getApplicationProtocols().length);
    }

    @Test
    void theChildIsOfferedOnlyTheProtocolTheServerChose() {
        SSLEngine engine = engines(Optional.of(HOST), List.of("h2", "http/1.1"), false).clientEngine("h2", null, null);

        assertFalse(engine.getUseClientMode());
        assertEquals("h2", engine.getHandshakeApplicationProtocolSelector().apply(engine, List.of("http/1.1", "h2")));
        assertEquals("", engine.getHandshakeApplicationProtocolSelector().apply(engine, List.of("http/1.1")));
        SSLEngine noAlpn = engines(Optional.of(HOST), List.of(), false).clientEngine(null, null, null);
        assertEquals("", noAlpn.getHandshakeApplicationProtocolSelector().apply(noAlpn, List.of("h2")));
    }

    private InterceptionEngines engines(Optional<String> sni, List<String> protocols, boolean insecure) {
        InterceptionContext context = new InterceptionContext(UpstreamTrust.create(Optional.empty(), insecure), leaves,
                new UntouchedServers());
        ClientHello hello = new ClientHello(sni, protocols, "00".repeat(32), List.of("TLSv1.3", "TLSv1.2"), LeafAlgorithm.EC, LeafAlgorithm.EC, true);
        return new InterceptionEngines(FLOW, DIALLED, hello, sni.orElse("127.0.0.1") + ":443", context);
    }
}
