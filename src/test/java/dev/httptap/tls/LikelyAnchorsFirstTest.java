package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

class LikelyAnchorsFirstTest {
    private static final X509Certificate[] CHAIN = new X509Certificate[0];

    /** Accepts every chain, or refuses every one with {@code refusal}; records each check. */
    private static final class Verdict extends X509ExtendedTrustManager {
        final List<String> checks = new ArrayList<>();
        private final CertificateException refusal;

        Verdict(CertificateException refusal) {
            this.refusal = refusal;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checks.add(authType);
            if (refusal != null) {
                throw refusal;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The full manager, which these tests must not ask for. */
    private static X509ExtendedTrustManager notNeeded() {
        throw new AssertionError("the whole trust store was asked for");
    }

    @Test
    void aServerTheLikelyAnchorsVouchForNeverWaitsForTheTrustStore() throws Exception {
        Verdict likely = new Verdict(null);
        LikelyAnchorsFirst trust = new LikelyAnchorsFirst(chain -> Optional.of(likely), LikelyAnchorsFirstTest::notNeeded);

        trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null);

        assertEquals(List.of("ECDHE_ECDSA"), likely.checks);
    }

    @Test
    void aServerTheyRefuseGetsTheFullManagersVerdict() throws Exception {
        CertificateException expired = new CertificateException("certificate expired");
        Verdict all = new Verdict(expired);
        LikelyAnchorsFirst trust = new LikelyAnchorsFirst(
                chain -> Optional.of(new Verdict(new CertificateException("no path to the file's CA"))), () -> all);

        CertificateException thrown = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null));

        assertSame(expired, thrown);
        assertEquals(List.of("ECDHE_ECDSA"), all.checks);
    }

    @Test
    void aChainNamingNoKnownAnchorGoesToTheFullManager() throws Exception {
        Verdict all = new Verdict(null);
        LikelyAnchorsFirst trust = new LikelyAnchorsFirst(chain -> Optional.empty(), () -> all);

        trust.checkServerTrusted(CHAIN, "GENERIC", (SSLEngine) null);

        assertEquals(List.of("GENERIC"), all.checks);
    }

    @Test
    void aTrustStoreThatCannotBeLoadedIsARefusalThatSaysSo() {
        LikelyAnchorsFirst trust = new LikelyAnchorsFirst(chain -> Optional.of(new Verdict(new CertificateException("no path"))),
                () -> {
                    throw new IllegalStateException("cacerts: Permission denied");
                });

        CertificateException thrown = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null));

        assertEquals("cannot load the trust store: cacerts: Permission denied", thrown.getMessage());
    }
}
