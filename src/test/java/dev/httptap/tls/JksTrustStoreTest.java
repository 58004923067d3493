package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Byte-level addition to a JKS store, checked by loading the result with the JDK's own JKS reader. */
class JksTrustStoreTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final X509Certificate FIRST = CertificateAuthority.create(Instant.now()).certificate();
    private static final X509Certificate OURS = CertificateAuthority.create(Instant.now()).certificate();

    @Test
    void theAddedCertificateIsTrustedAndTheDigestChecksWithThePassword() throws Exception {
        byte[] store = jks(FIRST);

        byte[] added = JksTrustStore.withTrustedCertificate(store, PASSWORD, "httptap-ca", OURS.getEncoded(),
                1_700_000_000_000L).orElseThrow();

        KeyStore loaded = KeyStore.getInstance("JKS");
        loaded.load(new ByteArrayInputStream(added), PASSWORD); // throws if the digest is wrong
        assertEquals(2, loaded.size());
        assertEquals(FIRST, loaded.getCertificate("first"));
        assertEquals(OURS, loaded.getCertificate("httptap-ca"));
        assertTrue(loaded.isCertificateEntry("httptap-ca"));
        assertEquals(1_700_000_000_000L, loaded.getCreationDate("httptap-ca").getTime());
    }

    @Test
    void theResultReadsWithoutAPasswordAndFailsWithAnotherOne() throws Exception {
        byte[] added = JksTrustStore.withTrustedCertificate(jks(FIRST), PASSWORD, "httptap-ca", OURS.getEncoded(), 0)
                .orElseThrow();

        KeyStore unchecked = KeyStore.getInstance("JKS");
        unchecked.load(new ByteArrayInputStream(added), null);
        assertEquals(OURS, unchecked.getCertificate("httptap-ca"));
        assertThrows(IOException.class,
                () -> KeyStore.getInstance("JKS").load(new ByteArrayInputStream(added), "other".toCharArray()));
    }

    @Test
    void aStoreWhoseDigestDoesNotCheckIsLeftAlone() throws Exception {
        byte[] store = jks(FIRST);

        assertEquals(Optional.empty(), JksTrustStore.withTrustedCertificate(store, "other".toCharArray(), "a",
                OURS.getEncoded(), 0));
        store[store.length / 2] ^= 1;
        assertEquals(Optional.empty(), JksTrustStore.withTrustedCertificate(store, PASSWORD, "a", OURS.getEncoded(), 0));
    }

    @Test
    void aPkcs12StoreOrGarbageIsNotTakenForAJks() throws Exception {
        KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
        pkcs12.load(null, null);
        pkcs12.setCertificateEntry("first", FIRST);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pkcs12.store(out, PASSWORD);

        assertEquals(Optional.empty(), JksTrustStore.withTrustedCertificate(out.toByteArray(), PASSWORD, "a",
                OURS.getEncoded(), 0));
        assertEquals(Optional.empty(), JksTrustStore.withTrustedCertificate(new byte[5], PASSWORD, "a",
                OURS.getEncoded(), 0));
    }

    @Test
    void theExistingBytesAreKeptAsTheyWere() throws Exception {
        byte[] store = jks(FIRST);
        byte[] added = JksTrustStore.withTrustedCertificate(store, PASSWORD, "a", OURS.getEncoded(), 0).orElseThrow();

        assertArrayEquals(java.util.Arrays.copyOfRange(store, 12, store.length - 20),
                java.util.Arrays.copyOfRange(added, 12, store.length - 20));
    }

    @Test
    void theStoredCertificatesAreReadAsTheyAreEncoded() throws Exception {
        byte[] store = jks(FIRST, OURS);

        List<byte[]> read = JksTrustStore.trustedCertificates(store).orElseThrow();

        assertEquals(2, read.size());
        assertEquals(Set.of(ByteBuffer.wrap(FIRST.getEncoded()), ByteBuffer.wrap(OURS.getEncoded())),
                Set.of(ByteBuffer.wrap(read.get(0)), ByteBuffer.wrap(read.get(1))));
    }

    @Test
    void onlyAWholeJksOfTrustedCertificatesIsRead() throws Exception {
        byte[] store = jks(FIRST);
        KeyStore pkcs12 = KeyStore.getInstance("PKCS12");
        pkcs12.load(null, null);
        pkcs12.setCertificateEntry("first", FIRST);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pkcs12.store(out, PASSWORD);
        CertificateAuthority ca = CertificateAuthority.create(Instant.now());
        KeyStore withKey = KeyStore.getInstance("JKS");
        withKey.load(null, null);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Pem.decode(ca.privateKeyPem(), "PRIVATE KEY")));
        withKey.setKeyEntry("key", key, PASSWORD, new X509Certificate[] {ca.certificate()});
        ByteArrayOutputStream keyed = new ByteArrayOutputStream();
        withKey.store(keyed, PASSWORD);

        assertEquals(Optional.empty(), JksTrustStore.trustedCertificates(out.toByteArray()));
        assertEquals(Optional.empty(), JksTrustStore.trustedCertificates(keyed.toByteArray()));
        assertEquals(Optional.empty(), JksTrustStore.trustedCertificates(java.util.Arrays.copyOf(store, store.length / 2)));
        assertEquals(Optional.empty(), JksTrustStore.trustedCertificates(new byte[3]));
    }

    private static byte[] jks(X509Certificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("JKS");
        store.load(null, null);
        store.setCertificateEntry("first", certificates[0]);
        for (int i = 1; i < certificates.length; i++) {
            store.setCertificateEntry("more-" + i, certificates[i]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD);
        return out.toByteArray();
    }
}
