package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
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
    void tlsThirteenOrAnEcdsaSuiteWithEcdsaSignaturesTakeEcdsa() {
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(List.of(GREASE, TLS_AES_128_GCM_SHA256, ECDHE_RSA_AES128_GCM),
                List.of(ECDSA_SECP256R1_SHA256, RSA_PSS_RSAE_SHA256)));
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(List.of(ECDHE_ECDSA_AES128_GCM), List.of(ECDSA_SECP256R1_SHA256)));
        assertEquals(LeafAlgorithm.EC, CipherOffer.leaf(List.of(ECDHE_ECDSA_AES128_GCM), null), "no extension: any");
    }

    @Test
    void onlyRsaSuitesOrOnlyRsaSignaturesTakeRsa() {
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(GREASE, ECDHE_RSA_AES128_GCM, RSA_AES128_CBC_SHA),
                List.of(ECDSA_SECP256R1_SHA256, RSA_PKCS1_SHA256)));
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(RSA_AES128_CBC_SHA), null));
        assertEquals(LeafAlgorithm.RSA, CipherOffer.leaf(List.of(TLS_AES_128_GCM_SHA256, ECDHE_ECDSA_AES128_GCM),
                List.of(RSA_PSS_RSAE_SHA256, RSA_PKCS1_SHA256)));
    }

    @Test
    void onlySuitesBoringSslLacksShareNone() {
        int dheRsaAes128Gcm = 0x009E;
        int ecdheEcdsaAes128Ccm = 0xC0AC;
        assertFalse(CipherOffer.anySpoken(List.of(GREASE, dheRsaAes128Gcm, ecdheEcdsaAes128Ccm)));
        assertTrue(CipherOffer.anySpoken(List.of(dheRsaAes128Gcm, RSA_AES128_CBC_SHA)));
        assertTrue(CipherOffer.anySpoken(List.of(GREASE, TLS_AES_128_GCM_SHA256)));
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
        return ((ClientHelloParser.Result.Hello) result).hello().leafAlgorithm();
    }
}
