package dev.httptap.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Time;

/**
 * A certificate's validity time, encoded here rather than by Bouncy Castle's {@code Time(Date)}: that one
 * formats through {@code SimpleDateFormat}, whose first use loads the JDK's locale data (~25 ms of the
 * CA's start-up, on the path to the child's first request). RFC 5280 4.1.2.5: UTCTime
 * ({@code YYMMDDHHMMSSZ}) for the years 1950 to 2049, GeneralizedTime ({@code YYYYMMDDHHMMSSZ}) otherwise,
 * both to the second, in UTC.
 */
final class CertificateTime {
    private static final int UTC_TIME_TAG = 0x17;
    private static final int GENERALIZED_TIME_TAG = 0x18;

    private CertificateTime() {}

    static Time of(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        boolean inUtcTimeRange = utc.getYear() >= 1950 && utc.getYear() <= 2049;
        StringBuilder text = new StringBuilder(15);
        if (inUtcTimeRange) {
            appendDigits(text, utc.getYear() % 100, 2);
        } else {
            appendDigits(text, utc.getYear(), 4);
        }
        appendDigits(text, utc.getMonthValue(), 2);
        appendDigits(text, utc.getDayOfMonth(), 2);
        appendDigits(text, utc.getHour(), 2);
        appendDigits(text, utc.getMinute(), 2);
        appendDigits(text, utc.getSecond(), 2);
        text.append('Z');
        return new Time(parse(inUtcTimeRange ? UTC_TIME_TAG : GENERALIZED_TIME_TAG, text));
    }

    /** Zero-padded decimal, without String.format (which would load the locale data too). */
    private static void appendDigits(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        text.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
    }

    /** The DER encoding read back, the one way into Bouncy Castle's time types that does not parse a date. */
    private static ASN1Primitive parse(int tag, CharSequence text) {
        byte[] contents = text.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[2 + contents.length];
        der[0] = (byte) tag;
        der[1] = (byte) contents.length;
        System.arraycopy(contents, 0, der, 2, contents.length);
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the certificate time " + text, e);
        }
    }
}
