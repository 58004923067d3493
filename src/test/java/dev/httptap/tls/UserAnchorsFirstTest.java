package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

class UserAnchorsFirstTest {
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

    @Test
    void aServerTheFilesCasVouchForNeverWaitsForTheTrustStore() throws Exception {
        Verdict user = new Verdict(null);
        CountDownLatch never = new CountDownLatch(1);
        UserAnchorsFirst trust = new UserAnchorsFirst(user, () -> {
            try {
                never.await(); // the JDK's trust store, still being parsed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("never made");
        });

        trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null);

        assertEquals(List.of("ECDHE_ECDSA"), user.checks);
    }

    @Test
    void anyOtherServerGetsTheFullManagersVerdict() throws Exception {
        CertificateException expired = new CertificateException("certificate expired");
        Verdict all = new Verdict(expired);
        UserAnchorsFirst trust = new UserAnchorsFirst(new Verdict(new CertificateException("no path to the file's CA")),
                () -> all);

        CertificateException thrown = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null));

        assertSame(expired, thrown);
        assertEquals(List.of("ECDHE_ECDSA"), all.checks);
    }

    @Test
    void aTrustStoreThatCannotBeLoadedIsARefusalThatSaysSo() {
        UserAnchorsFirst trust = new UserAnchorsFirst(new Verdict(new CertificateException("no path")),
                () -> {
                    throw new IllegalStateException("cacerts: Permission denied");
                });

        CertificateException thrown = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", (SSLEngine) null));

        assertEquals("cannot load the trust store: cacerts: Permission denied", thrown.getMessage());
    }
}
