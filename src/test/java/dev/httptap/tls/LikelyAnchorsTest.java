package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** Anchors found by the names a chain carries, in a JKS store read as bytes, with the JDK's real checks. */
class LikelyAnchorsTest {
    static {
        JsseLimits.apply();
    }

    private static final Instant NOW = Instant.now();
    // Named apart: a CA's name carries the day it was made for.
    private static final CertificateAuthority STORED = ca(0);
    private static final CertificateAuthority OTHER_STORED = ca(1);
    private static final CertificateAuthority UNKNOWN = ca(2);
    private static final CertificateAuthority USERS = ca(3);

    private static CertificateAuthority ca(int daysAgo) {
        return CertificateAuthority.create(NOW.minus(Duration.ofDays(daysAgo)), Duration.ofDays(10));
    }

    private final List<List<X509Certificate>> managersMade = new ArrayList<>();
    private final LikelyAnchors.ManagerFactory countingFactory = anchors -> {
        managersMade.add(anchors);
        return UpstreamTrust.managerOver(anchors);
    };

    @Test
    void theSubjectIsReadFromTheCertificatesBytes() throws Exception {
        X509Certificate leaf = STORED.issue("a.test").leaf();

        assertArrayEquals(leaf.getSubjectX500Principal().getEncoded(), CertificateNames.subject(leaf.getEncoded()).orElseThrow());
        assertArrayEquals(STORED.certificate().getSubjectX500Principal().getEncoded(),
                CertificateNames.subject(STORED.certificate().getEncoded()).orElseThrow());
        assertEquals(Optional.empty(), CertificateNames.subject(new byte[] {0x30, 0x03, 0x30, 0x01}));
        assertEquals(Optional.empty(), CertificateNames.subject(new byte[] {0x30, (byte) 0x84, 0x7f, 0, 0, 0, 0x30}));
        byte[] encoded = leaf.getEncoded();
        assertEquals(Optional.empty(), CertificateNames.subject(java.util.Arrays.copyOf(encoded, 40)));
    }

    @Test
    void aChainIsCheckedAgainstTheStoredCaItNamesOnly() throws Exception {
        LikelyAnchors likely = new LikelyAnchors(List.of(), Optional.of(index()), countingFactory);
        X509Certificate[] chain = {STORED.issue("a.test").leaf()};

        X509ExtendedTrustManager manager = likely.apply(chain).orElseThrow();
        manager.checkServerTrusted(chain, "UNKNOWN", (SSLEngine) null);

        assertEquals(List.of(List.of(STORED.certificate())), managersMade);
        assertSame(manager, likely.apply(new X509Certificate[] {STORED.issue("b.test").leaf()}).orElseThrow());
        assertEquals(1, managersMade.size());
    }

    @Test
    void aChainFromAnUnknownCaNamesNoAnchor() throws Exception {
        LikelyAnchors likely = new LikelyAnchors(List.of(), Optional.of(index()), countingFactory);

        assertEquals(Optional.empty(), likely.apply(new X509Certificate[] {UNKNOWN.issue("a.test").leaf()}));
        assertEquals(List.of(), managersMade);
    }

    @Test
    void theUsersAnchorsAreAlwaysAmongThem() throws Exception {
        LikelyAnchors likely = new LikelyAnchors(List.of(USERS.certificate()), Optional.empty(), countingFactory);
        X509Certificate[] fromUsers = {USERS.issue("a.test").leaf()};
        X509Certificate[] fromUnknown = {UNKNOWN.issue("a.test").leaf()};

        likely.apply(fromUsers).orElseThrow().checkServerTrusted(fromUsers, "UNKNOWN", (SSLEngine) null);
        assertThrows(CertificateException.class,
                () -> likely.apply(fromUnknown).orElseThrow().checkServerTrusted(fromUnknown, "UNKNOWN", (SSLEngine) null));
    }

    @Test
    void withTheFullManagerBehindThemVerdictsAreThoseOfAllAnchors() throws Exception {
        LikelyAnchorsFirst trust = new LikelyAnchorsFirst(new LikelyAnchors(List.of(), Optional.of(index()), countingFactory),
                () -> {
                    try {
                        return UpstreamTrust.managerOver(List.of(STORED.certificate(), OTHER_STORED.certificate()));
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                });
        X509Certificate[] good = {OTHER_STORED.issue("a.test").leaf()};
        X509Certificate[] bad = {UNKNOWN.issue("a.test").leaf()};

        trust.checkServerTrusted(good, "UNKNOWN", (SSLEngine) null);
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(bad, "UNKNOWN", (SSLEngine) null));
        assertTrue(refused.getMessage().contains("PKIX"), refused.getMessage());
    }

    /** A JKS trust store of the two stored CAs, indexed from its bytes. */
    private static AnchorIndex index() throws Exception {
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        store.setCertificateEntry("stored", STORED.certificate());
        store.setCertificateEntry("other", OTHER_STORED.certificate());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, "changeit".toCharArray());
        return AnchorIndex.of(out.toByteArray()).orElseThrow();
    }
}
