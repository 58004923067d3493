package dev.httptap.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * A TLS failure in words for the user: the root cause, without Java's class names or BoringSSL's and Bouncy
 * Castle's codes.
 */
final class FailureReason {
    private FailureReason() {}

    static String of(SSLException error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            if (cause instanceof CertPathBuilderException) {
                return "its certificate is not signed by a trusted CA (use --ca-file for a private CA)";
            }
            if (cause instanceof CertificateExpiredException) {
                return "its certificate has expired (" + cause.getMessage() + ")";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "its certificate is not valid yet (" + cause.getMessage() + ")";
            }
        }
        String message = cause.getMessage();
        if (message == null) {
            return cause.getClass().getSimpleName();
        }
        Throwable root = cause;
        return BoringSslError.in(message).map(BoringSslError::words)
                .or(() -> BouncyCastleAlert.receivedIn(root).map(alert -> "Received fatal alert: " + alert))
                .orElse(message);
    }
}
