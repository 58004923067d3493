package dev.httptap.tls;

import java.util.Optional;

/**
 * An alert the peer sent, as Bouncy Castle's TLS (the child's side of a capture run) reports it: a
 * TlsFatalAlertReceived whose message is the alert's name and code, "certificate_unknown(46)". The class is
 * named, not imported, so that runs without a capture load no Bouncy Castle TLS class.
 */
final class BouncyCastleAlert {
    private static final String RECEIVED_ALERT_CLASS = "org.bouncycastle.tls.TlsFatalAlertReceived";

    private BouncyCastleAlert() {}

    /** The name of the alert {@code failure} says the peer sent, e.g. "certificate_unknown", if it says so. */
    static Optional<String> receivedIn(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || !failure.getClass().getName().equals(RECEIVED_ALERT_CLASS)) {
            return Optional.empty();
        }
        return Optional.of(message.replaceFirst("\\(\\d+\\)$", ""));
    }
}
