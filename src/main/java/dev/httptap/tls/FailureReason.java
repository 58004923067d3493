package dev.httptap.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/** A TLS failure in words for the user: the root cause, without Java's class names. */
final class FailureReason {
    private FailureReason() {}

    /**
     * True when the handshake failed on the certificate (its chain, dates or names), which a client
     * checking it itself would refuse too; false for everything else (bytes that are not TLS, an alert,
     * no common protocol).
     */
    static boolean isCertificateProblem(SSLException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

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
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
