package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLException;

/**
 * Tells a child that refused httptap's certificate from one whose handshake failed otherwise, in JSSE's
 * words, BoringSSL's or Bouncy Castle's (the child's side of a capture run). Only a fatal
 * alert about the certificate (RFC 8446 section 6.2), encrypted or in the clear, is a refusal: the child checked the leaf and did not
 * trust it, and will again; so is a TLS 1.3 child hanging up right after it read httptap's whole flight
 * ({@link #holdsChangeCipherSpec}). A close or reset before that is not (a client racing two connections
 * drops one), nor is any other alert.
 */
final class CertificateRefusal {
    /** JSSE's words for an alert the peer sent, followed by the alert's name. */
    private static final String RECEIVED_ALERT = "Received fatal alert: ";
    /** The certificate alerts by their code (RFC 8446 section 6), from bad_certificate (42) on. */
    private static final Map<Integer, String> CERTIFICATE_ALERTS = Map.of(42, "bad_certificate",
            43, "unsupported_certificate", 44, "certificate_revoked", 45, "certificate_expired",
            46, "certificate_unknown", 48, "unknown_ca");
    private static final int CHANGE_CIPHER_SPEC_RECORD = 20;
    private static final int ALERT_RECORD = 21;
    private static final int RECORD_HEADER_BYTES = 5;
    private static final int FATAL = 2;

    private CertificateRefusal() {}

    /** The certificate alert the child sent, if that is what ended its handshake. */
    static Optional<String> alertOf(SSLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.startsWith(RECEIVED_ALERT)) {
                String alert = message.substring(RECEIVED_ALERT.length()).trim();
                return certificateAlertNamed(alert);
            }
            Optional<String> bouncyCastle = BouncyCastleAlert.receivedIn(cause);
            if (bouncyCastle.isPresent()) {
                return certificateAlertNamed(bouncyCastle.get());
            }
            Optional<BoringSslError> boringSsl = BoringSslError.in(message);
            if (boringSsl.isPresent()) {
                OptionalInt alert = boringSsl.get().receivedAlert();
                return alert.isPresent() ? Optional.ofNullable(CERTIFICATE_ALERTS.get(alert.getAsInt())) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> certificateAlertNamed(String alert) {
        return CERTIFICATE_ALERTS.containsValue(alert) ? Optional.of(alert) : Optional.empty();
    }

    /**
     * The certificate alert among the child's {@code records} sent in the clear: OpenSSL's TLS 1.3 client
     * refuses the server's certificate before it has switched to the handshake keys, so its alert is a
     * plaintext record that JSSE, expecting an encrypted one, fails to read. {@code records} is not moved.
     */
    static Optional<String> plaintextAlertIn(ByteBuffer records) {
        int at = recordOf(records, ALERT_RECORD, 2);
        if (at < 0 || records.get(at + RECORD_HEADER_BYTES) != FATAL) {
            return Optional.empty();
        }
        return Optional.ofNullable(CERTIFICATE_ALERTS.get(records.get(at + RECORD_HEADER_BYTES + 1) & 0xff));
    }

    /**
     * Whether the child's {@code records} hold TLS 1.3's ChangeCipherSpec, which a client in middlebox
     * compatibility mode sends once it has read the server's hello (RFC 8446 appendix D.4). A child that
     * sends it after httptap's flight and then hangs up without its Finished has judged the certificate and
     * refused it without saying so: java.net.http's HttpClient closes without an alert. {@code records} is
     * not moved.
     */
    static boolean holdsChangeCipherSpec(ByteBuffer records) {
        int at = recordOf(records, CHANGE_CIPHER_SPEC_RECORD, 1);
        return at >= 0 && records.get(at + RECORD_HEADER_BYTES) == 1;
    }

    /** Where the first whole record of {@code type} and {@code length} starts in {@code records}, or -1. */
    private static int recordOf(ByteBuffer records, int type, int length) {
        int at = records.position();
        while (records.limit() - at >= RECORD_HEADER_BYTES) {
            int recordLength = records.getShort(at + 3) & 0xffff;
            if ((records.get(at) & 0xff) == type && recordLength == length
                    && records.limit() - at >= RECORD_HEADER_BYTES + length) {
                return at;
            }
            at += RECORD_HEADER_BYTES + recordLength;
        }
        return -1;
    }
}
