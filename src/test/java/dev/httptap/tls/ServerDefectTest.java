package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ServerDefectTest {
    private static final Instant NOW = Instant.parse("2026-12-04T03:00:00Z");
    private final CertificateAuthority run = CertificateAuthority.create(NOW);
    private final CertificateAuthority untrusted = CertificateAuthority.untrusted(NOW);

    @Test
    void readsTheDefectFromTheCausesJsseGivesAFailedHandshake() {
        assertEquals(Optional.of(ServerDefect.UNTRUSTED_ISSUER), ServerDefect.of(handshake(
                new CertificateException("PKIX path building failed", new CertPathBuilderException("unable to find valid certification path")))));
        assertEquals(Optional.of(ServerDefect.EXPIRED), ServerDefect.of(handshake(
                new CertificateException("PKIX path validation failed", new CertPathValidatorException("validity check failed",
                        new CertificateExpiredException("NotAfter: Tue Dec 01 00:00:00 UTC 2026"))))));
        assertEquals(Optional.of(ServerDefect.NOT_YET_VALID), ServerDefect.of(handshake(
                new CertificateException("PKIX path validation failed", new CertificateNotYetValidException("NotBefore")))));
        assertEquals(Optional.of(ServerDefect.WRONG_NAME), ServerDefect.of(handshake(
                new CertificateException("No subject alternative DNS name matching api.example.test found."))));
        assertEquals(Optional.of(ServerDefect.WRONG_NAME), ServerDefect.of(handshake(
                new CertificateException("No name matching api.example.test found"))));
        assertEquals(Optional.of(ServerDefect.UNTRUSTED_ISSUER), ServerDefect.of(handshake(
                new CertificateException("Certificates do not conform to algorithm constraints"))));
    }

    @Test
    void aHandshakeThatFailedOtherThanOverTheCertificateHasNoDefect() {
        assertEquals(Optional.empty(), ServerDefect.of(new SSLHandshakeException("Received fatal alert: handshake_failure")));
        assertEquals(Optional.empty(), ServerDefect.of(new SSLException("Unsupported or unrecognized SSL message")));
    }

    @Test
    void eachStandInCarriesItsDefectAndNothingElse() throws Exception {
        var name = CertificateAuthority.dnsName("api.example.test");
        X509Certificate expired = ServerDefect.EXPIRED.leaf(run, untrusted, name, NOW, LeafAlgorithm.EC).leaf();
        X509Certificate early = ServerDefect.NOT_YET_VALID.leaf(run, untrusted, name, NOW, LeafAlgorithm.EC).leaf();
        X509Certificate wrongName = ServerDefect.WRONG_NAME.leaf(run, untrusted, name, NOW, LeafAlgorithm.EC).leaf();
        X509Certificate unknownIssuer = ServerDefect.UNTRUSTED_ISSUER.leaf(run, untrusted, name, NOW, LeafAlgorithm.EC).leaf();

        assertThrows(CertificateExpiredException.class, () -> expired.checkValidity(Date.from(NOW)));
        assertThrows(CertificateNotYetValidException.class, () -> early.checkValidity(Date.from(NOW)));
        for (X509Certificate leaf : List.of(expired, early, wrongName)) {
            leaf.verify(run.certificate().getPublicKey());
        }
        assertEquals(List.of(List.of(2, ServerDefect.NOBODY)), List.copyOf(wrongName.getSubjectAlternativeNames()));
        wrongName.checkValidity(Date.from(NOW));
        unknownIssuer.checkValidity(Date.from(NOW));
        unknownIssuer.verify(untrusted.certificate().getPublicKey());
        assertEquals(List.of(List.of(2, "api.example.test")), List.copyOf(unknownIssuer.getSubjectAlternativeNames()));
        assertNotEquals(run.certificate().getSubjectX500Principal(), unknownIssuer.getIssuerX500Principal(),
                "named apart from the run's CA, so no client takes it for the run CA's own");
    }

    private static SSLException handshake(Throwable cause) {
        SSLException failure = new SSLHandshakeException("the server's certificate was refused");
        failure.initCause(cause);
        return failure;
    }
}
