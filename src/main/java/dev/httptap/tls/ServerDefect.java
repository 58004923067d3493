package dev.httptap.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Why a real server's certificate failed httptap's check, and the same defect in the leaf the child is shown
 * instead: a child then checks that leaf and decides as it would have about the server itself (curl fails
 * with "certificate has expired", `curl -k` goes on), rather than being handed a certificate it would trust.
 * The order is JSSE's: the chain (issuer, validity) is checked before the name.
 */
enum ServerDefect {
    /** Not signed by a CA httptap trusts (self-signed, a private CA, an incomplete chain, anything else). */
    UNTRUSTED_ISSUER,
    EXPIRED,
    NOT_YET_VALID,
    /** A valid certificate for other names. */
    WRONG_NAME;

    /** A name no server is ever asked for: the stand-in for a certificate naming other servers. */
    static final String NOBODY = "wrong-name.httptap.invalid";
    private static final Duration DAY = Duration.ofDays(1);

    /**
     * The defect behind a failed handshake with a server, or empty if the handshake failed for another reason
     * than its certificate (a refused protocol, a closed connection, garbage).
     */
    static Optional<ServerDefect> of(SSLException failure) {
        ServerDefect defect = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return Optional.of(EXPIRED);
            }
            if (cause instanceof CertificateNotYetValidException) {
                return Optional.of(NOT_YET_VALID);
            }
            if (cause instanceof CertPathBuilderException) {
                return Optional.of(UNTRUSTED_ISSUER);
            }
            if (cause instanceof CertificateException && defect == null) {
                defect = isNameMismatch(cause.getMessage()) ? WRONG_NAME : UNTRUSTED_ISSUER;
            }
        }
        return Optional.ofNullable(defect);
    }

    /** JSSE's HostnameChecker words: "No name matching X found", "No subject alternative DNS name matching X found". */
    private static boolean isNameMismatch(String message) {
        return message != null && (message.startsWith("No name matching")
                || message.startsWith("No subject alternative"));
    }

    /**
     * The leaf carrying this defect for a child that asked for {@code name}: from the run's CA when only
     * the dates or the name are wrong, from {@code untrusted} (a CA no one trusts) when the issuer is.
     */
    IssuedCertificate leaf(CertificateAuthority run, CertificateAuthority untrusted, GeneralName name, Instant now,
            LeafAlgorithm algorithm) {
        return switch (this) {
            case UNTRUSTED_ISSUER -> untrusted.issue(name, now.minus(DAY), now.plus(DAY), algorithm);
            case EXPIRED -> run.issue(name, now.minus(DAY.multipliedBy(2)), now.minus(DAY), algorithm);
            case NOT_YET_VALID -> run.issue(name, now.plus(DAY), now.plus(DAY.multipliedBy(2)), algorithm);
            case WRONG_NAME -> run.issue(CertificateAuthority.dnsName(NOBODY), now.minus(DAY), now.plus(DAY), algorithm);
        };
    }
}
