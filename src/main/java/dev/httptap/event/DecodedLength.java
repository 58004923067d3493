package dev.httptap.event;

import java.util.Optional;

/**
 * A content-coded body's length once decoded (gzip, br, ...), or why it is not known.
 *
 * @param bytes   the decoded length, or -1 when the body was not decoded
 * @param problem why it was not decoded, short enough for the exchange's line ("not decodable as gzip")
 */
public record DecodedLength(long bytes, Optional<String> problem) {
    public static DecodedLength of(long bytes) {
        return new DecodedLength(bytes, Optional.empty());
    }

    public static DecodedLength notDecoded(String problem) {
        return new DecodedLength(-1, Optional.of(problem));
    }

    public boolean isKnown() {
        return bytes >= 0;
    }
}
