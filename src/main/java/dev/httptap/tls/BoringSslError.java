package dev.httptap.tls;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error of BoringSSL's TLS code as Conscrypt words it ("Read error: ssl=0x...: Failure in SSL library, usually
 * a protocol error\nerror:10000416:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN (file:line ...)"),
 * read for its reason: the code's low 12 bits, which for an alert received from the peer are 1000 plus the
 * alert's number (RFC 8446 section 6), and the reason's name.
 */
record BoringSslError(int reason, String name) {
    private static final Pattern ERROR = Pattern.compile("error:([0-9a-fA-F]{8}):SSL routines:[^:]*:([A-Z0-9_]+)");
    private static final int REASON_BITS = 0xfff;
    private static final int RECEIVED_ALERT = 1000;
    private static final int LAST_ALERT = 255;
    /** The prefixes of the names of received alerts: SSLV3_ALERT_HANDSHAKE_FAILURE, TLSV1_ALERT_UNKNOWN_CA. */
    private static final Pattern ALERT_NAME_PREFIX = Pattern.compile("^(SSLV3|TLSV1|TLSV1_3)_ALERT_");

    /** The BoringSSL error named in {@code message}, if it names one. */
    static Optional<BoringSslError> in(String message) {
        Matcher matcher = message == null ? null : ERROR.matcher(message);
        if (matcher == null || !matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new BoringSslError((int) Long.parseLong(matcher.group(1), 16) & REASON_BITS, matcher.group(2)));
    }

    /** The number of the alert the peer sent, when that is the error. */
    OptionalInt receivedAlert() {
        int alert = reason - RECEIVED_ALERT;
        return alert >= 0 && alert <= LAST_ALERT ? OptionalInt.of(alert) : OptionalInt.empty();
    }

    /** In JSSE's words where JSSE has some ("Received fatal alert: handshake_failure"), else the name in lower case. */
    String words() {
        String lower = ALERT_NAME_PREFIX.matcher(name).replaceFirst("").toLowerCase(Locale.ROOT);
        return receivedAlert().isPresent() ? "Received fatal alert: " + lower : lower.replace('_', ' ');
    }
}
