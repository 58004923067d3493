package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateTimeTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T09:53:07Z", "2000-01-01T00:00:00Z", "1950-01-01T00:00:00Z",
            "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z", "1949-12-31T23:59:59Z", "2105-07-04T05:06:07.999Z"})
    void encodesAsBouncyCastlesOwnTimeDoes(String when) throws Exception {
        Instant instant = Instant.parse(when);

        Time ours = CertificateTime.of(instant);

        Time theirs = new Time(Date.from(instant));
        assertArrayEquals(theirs.getEncoded(), ours.getEncoded());
        assertEquals(instant.getEpochSecond(), ours.getDate().toInstant().getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-04T05:06:07Z|23|260304050607Z", "2050-01-01T00:00:00Z|24|20500101000000Z"})
    void usesUtcTimeUntil2049AndGeneralizedTimeAfter(String expectation) throws Exception {
        String[] parts = expectation.split("\\|");

        byte[] der = CertificateTime.of(Instant.parse(parts[0])).getEncoded();

        assertEquals(Integer.parseInt(parts[1]), der[0]); // 0x17 UTCTime, 0x18 GeneralizedTime
        assertEquals(parts[2], new String(der, 2, der.length - 2, StandardCharsets.US_ASCII));
    }
}
