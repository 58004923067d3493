package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    static {
        JsseLimits.apply(); // before this JVM's JSSE initialises, as TLS start-up does
    }

    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");
    private final CertificateAuthority ca = CertificateAuthority.create(NOW);

    @Test
    void theCaIsASelfSignedShortLivedP256Ca() throws Exception {
        X509Certificate certificate = ca.certificate();
        assertEquals("O=httptap,CN=httptap CA 2026-11-24", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertEquals(0, certificate.getBasicConstraints(), "a CA that signs leaves only");
        assertTrue(certificate.getKeyUsage()[5], "keyCertSign");
        assertEquals(256, ((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(NOW.minus(Duration.ofHours(1)), certificate.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofHours(24)), certificate.getNotAfter().toInstant());
    }

    /** For a client that takes no ECDSA: an RSA key, which static RSA key exchange also encrypts to. */
    @Test
    void anRsaLeafChainsToTheCaAndMayAlsoBeEncryptedTo() throws Exception {
        X509Certificate leaf = ca.issue(CertificateAuthority.dnsName("rsa.example.test"), LeafAlgorithm.RSA).leaf();
        leaf.verify(ca.certificate().getPublicKey());
        assertEquals("RSA", leaf.getPublicKey().getAlgorithm());
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength());
        boolean[] usage = leaf.getKeyUsage();
        assertTrue(usage[0] && usage[2], "digitalSignature and keyEncipherment");
        assertEquals(List.of(List.of(2, "rsa.example.test")), List.copyOf(leaf.getSubjectAlternativeNames()));
    }

    @Test
    void aLeafForANameIsForTlsServersOnlyAndChainsToTheCa() throws Exception {
        IssuedCertificate issued = ca.issue("api.example.test");
        X509Certificate leaf = issued.leaf();
        leaf.verify(ca.certificate().getPublicKey());
        assertEquals(List.of(List.of(2, "api.example.test")), List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        boolean[] usage = leaf.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        for (int i = 1; i < usage.length; i++) {
            assertTrue(!usage[i], "only digitalSignature, not bit " + i);
        }
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage(), "serverAuth");
        assertArrayEquals(keyIdentifier(ca.certificate()), authorityKeyIdentifier(leaf));
        assertTrue(leaf.getExtensionValue("2.5.29.14") != null, "a subject key identifier");
        assertEquals(ca.certificate().getNotAfter(), leaf.getNotAfter());
        assertArrayEquals(new X509Certificate[] {leaf, ca.certificate()}, issued.chain());
    }

    @Test
    void aLeafHasAnEmptySubjectAndItsNamesInACriticalSubjectAltNameSoAnyLengthFits() throws Exception {
        String longName = "x".repeat(63) + "." + "y".repeat(63) + ".example.test";
        X509Certificate leaf = ca.issue(longName).leaf();
        assertEquals("", leaf.getSubjectX500Principal().getName());
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.17"), "subjectAltName is critical");
        assertEquals(List.of(List.of(2, longName)), List.copyOf(leaf.getSubjectAlternativeNames()));
        leaf.checkValidity(java.util.Date.from(NOW));
    }

    @Test
    void aLeafForAnAddressNamesTheAddress() throws Exception {
        X509Certificate leaf = ca.issue(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10})).leaf();
        assertEquals(List.of(List.of(7, "192.0.2.10")), List.copyOf(leaf.getSubjectAlternativeNames()));
    }

    @Test
    void allLeavesCertifyOneKeyThatIsNotTheCas() throws Exception {
        IssuedCertificate first = ca.issue("a.example.test");
        IssuedCertificate second = ca.issue(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10}));
        assertEquals(first.leaf().getPublicKey(), second.leaf().getPublicKey());
        assertEquals(first.key(), second.key());
        assertNotEquals(ca.certificate().getPublicKey(), first.leaf().getPublicKey());
        assertNotEquals(first.leaf().getSerialNumber(), second.leaf().getSerialNumber());
        second.leaf().verify(ca.certificate().getPublicKey());
        assertArrayEquals(keyIdentifier(first.leaf()), keyIdentifier(second.leaf()));
    }

    @Test
    void leafContextsAreKeptPerNameWithinABound() {
        LeafContexts contexts = new LeafContexts(CompletableFuture.completedFuture(ca), 2, Runnable::run);
        assertSame(contexts.forName("a.test", LeafAlgorithm.EC), contexts.forName("a.test", LeafAlgorithm.EC));
        assertNotSame(contexts.forName("a.test", LeafAlgorithm.EC), contexts.forName("b.test", LeafAlgorithm.EC));
        contexts.forName("c.test", LeafAlgorithm.EC);
        assertEquals(2, contexts.size());
    }

    @Test
    void aPreparedLeafIsIssuedOnTheIssuerAndThenServedFromIt() throws Exception {
        List<Runnable> issuer = new ArrayList<>();
        LeafContexts contexts = new LeafContexts(CompletableFuture.completedFuture(ca), 4, issuer::add);
        contexts.prepare(Optional.of("a.test"), InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10}), LeafAlgorithm.EC);
        contexts.prepare(Optional.empty(), InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 11}), LeafAlgorithm.EC);
        contexts.prepare(Optional.of("a.test"), InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 12}), LeafAlgorithm.EC);
        assertEquals(2, issuer.size()); // once per name or address
        issuer.forEach(Runnable::run);
        assertSame(contexts.forName("a.test", LeafAlgorithm.EC), contexts.forName("a.test", LeafAlgorithm.EC));
        assertSame(contexts.forAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 11}), LeafAlgorithm.EC),
                contexts.forAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 11}), LeafAlgorithm.EC));
        assertEquals(2, issuer.size());
    }

    @Test
    void aLeafThatCannotBeIssuedFailsWithTheCasReason() {
        LeafContexts contexts = new LeafContexts(CompletableFuture.failedFuture(new IllegalStateException("no key")),
                4, Runnable::run);
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> contexts.forName("a.test", LeafAlgorithm.EC));
        assertTrue(failure.getMessage().contains("no key"), failure.getMessage());
    }

    private static byte[] keyIdentifier(X509Certificate certificate) {
        byte[] extension = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14")).getOctets();
        return SubjectKeyIdentifier.getInstance(extension).getKeyIdentifier();
    }

    private static byte[] authorityKeyIdentifier(X509Certificate certificate) {
        byte[] extension = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.35")).getOctets();
        return AuthorityKeyIdentifier.getInstance(extension).getKeyIdentifier();
    }
}
