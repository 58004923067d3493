package dev.httptap.tls;

import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Tells a child that refused httptap's certificate from one whose handshake failed otherwise. Only a fatal
 * alert about the certificate (RFC 8446 section 6.2) is a refusal: the child checked the leaf and did not
 * trust it, and will again. A close or reset mid-handshake is not (a client racing two connections drops
 * one), nor is any other alert.
 */
final class CertificateRefusal {
    /** JSSE's words for an alert the peer sent, followed by the alert's name. */
    private static final String RECEIVED_ALERT = "Received fatal alert: ";
    private static final Set<String> CERTIFICATE_ALERTS = Set.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca");

    private CertificateRefusal() {}

    /** The certificate alert the child sent, if that is what ended its handshake. */
    static Optional<String> alertOf(SSLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.startsWith(RECEIVED_ALERT)) {
                String alert = message.substring(RECEIVED_ALERT.length()).trim();
                return CERTIFICATE_ALERTS.contains(alert) ? Optional.of(alert) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
