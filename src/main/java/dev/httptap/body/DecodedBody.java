package dev.httptap.body;

import java.util.Arrays;
import java.util.Optional;

/**
 * What to show of a body: at most the print limit of its decoded bytes, and what was left out.
 *
 * @param bytes       the bytes to show: decoded, or as received when decoding failed
 * @param cut         true when the body goes on past {@code bytes}
 * @param hiddenBytes how many bytes were left out when that is known (a body shown as received), else -1
 * @param failure     why the body could not be decoded (it is then shown as received)
 */
public record DecodedBody(byte[] bytes, boolean cut, long hiddenBytes, Optional<String> failure) {
    /** This body, knowing that its whole decoded length is {@code length} (measured apart from it). */
    public DecodedBody withLength(long length) {
        if (failure.isPresent() || hiddenBytes >= 0 || length < bytes.length) {
            return this;
        }
        return new DecodedBody(bytes, length > bytes.length, length - bytes.length, failure);
    }

    static DecodedBody whole(byte[] bytes) {
        return new DecodedBody(bytes, false, 0, Optional.empty());
    }

    /** The captured bytes as they were sent (the capture holds at most the print limit). */
    static DecodedBody asReceived(BodyCapture received, Optional<String> failure) {
        byte[] bytes = received.bytes();
        long hidden = received.totalBytes() - bytes.length;
        return new DecodedBody(bytes, hidden > 0, hidden, failure);
    }

    /** The first {@code limit} bytes of {@code decoded}, which has more, with an unknown remainder. */
    static DecodedBody cutAt(byte[] decoded, int limit) {
        return new DecodedBody(Arrays.copyOf(decoded, limit), true, -1, Optional.empty());
    }
}
