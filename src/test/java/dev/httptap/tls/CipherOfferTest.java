package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** What a ClientHello's offer means: whether httptap's TLS shares a suite with it, which leaf key it takes. */
class CipherOfferTest {
    private static final int TLS_AES_128_GCM_SHA256 = 0x1301;
    private static final int ECDHE_ECDSA_AES128_GCM = 0xC02B;
    private static final int ECDHE_RSA_AES128_GCM = 0xC02F;
    private static final int RSA_AES128_CBC_SHA = 0x002F;
    private static final int GREASE = 0x0A0A;
    private static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    private static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    private static final int RSA_PKCS1_SHA256 = 0x0401;

    @Test
    void ecdsaSignaturesTakeEcdsaInTlsThirteenAndWithAnEcdsaSuiteBeforeIt() {
        List<Integer> tls13AndRsaSuites = List.of(GREASE, TLS_AES_128_GCM_SHA256, ECDHE_RSA_AES128_GCM);
        List<Integer> bothSignatures = List.of(ECDSA_SECP256R1_SHA256, RSA_PSS_RSAE_SHA256);
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(tls13AndRsaSuites, bothSignatures, true));
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(tls13AndRsaSuites, bothSignatures, false),
                "a server that speaks only TLS 1.2 leaves the client its RSA suites");
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(List.of(ECDHE_ECDSA_AES128_GCM), List.of(ECDSA_SECP256R1_SHA256), false));
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(List.of(ECDHE_ECDSA_AES128_GCM), null, false), "no extension: any");
    }

    @Test
    void onlyRsaSuitesOrOnlyRsaSignaturesTakeRsa() {
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(GREASE, ECDHE_RSA_AES128_GCM, RSA_AES128_CBC_SHA),
                List.of(ECDSA_SECP256R1_SHA256, RSA_PKCS1_SHA256), false));
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(RSA_AES128_CBC_SHA), null, false));
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(TLS_AES_128_GCM_SHA256, ECDHE_ECDSA_AES128_GCM),
                List.of(RSA_PSS_RSAE_SHA256, RSA_PKCS1_SHA256), true));
    }

    @Test
    void onlySuitesBoringSslLacksShareNone() {
        int dheRsaAes128Gcm = 0x009E;
        int ecdheEcdsaAes128Ccm = 0xC0AC;
        assertFalse(CipherOffer.anySpoken(List.of(GREASE, dheRsaAes128Gcm, ecdheEcdsaAes128Ccm)));
        assertTrue(CipherOffer.anySpoken(List.of(dheRsaAes128Gcm, RSA_AES128_CBC_SHA)));
        assertTrue(CipherOffer.anySpoken(List.of(GREASE, TLS_AES_128_GCM_SHA256)));
    }

    /** The suites taken for spoken are exactly those the child's side enables (a library upgrade may change them). */
    @Test
    void theSuitesSpokenAreTheOnesTheChildsSideEnables() throws Exception {
        Map<Integer, String> spoken = Map.ofEntries(Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"),
                Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"), Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
                Map.entry(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                Map.entry(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                Map.entry(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                Map.entry(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), Map.entry(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
                Map.entry(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), Map.entry(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                Map.entry(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                Map.entry(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), Map.entry(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
                Map.entry(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"), Map.entry(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
                Map.entry(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"), Map.entry(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"));
        SSLContext context = TlsLibrary.chosen().newContext();
        context.init(null, null, null);
        SSLEngine childSide = context.createSSLEngine();
        childSide.setUseClientMode(false);
        Set<String> enabled = Arrays.stream(childSide.getEnabledCipherSuites())
                .filter(name -> !name.endsWith("_SCSV")).collect(Collectors.toSet());

        assertEquals(enabled, Set.copyOf(spoken.values()));
        for (int suite = 0; suite <= 0xFFFF; suite++) {
            assertEquals(spoken.containsKey(suite), CipherOffer.anySpoken(List.of(suite)), Integer.toHexString(suite));
        }
    }

    /** The choice as made from real ClientHellos, the JDK's own, by the parser. */
    @Test
    void theParserChoosesFromTheClientsOffer() throws Exception {
        assertEquals(LeafAlgorithm.EC, leafFor(null));
        assertEquals(LeafAlgorithm.RSA, leafFor(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}));
    }

    private static LeafAlgorithm leafFor(String[] suites) throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine("leaf.example.test", 443);
        client.setUseClientMode(true);
        if (suites != null) {
            client.setEnabledProtocols(new String[] {"TLSv1.2"});
            client.setEnabledCipherSuites(suites);
        }
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        ClientHelloParser.Result result = ClientHelloParser.parse(hello.flip());
        return ((ClientHelloParser.Result.Hello) result).hello().leafAlgorithm(null);
    }
}
