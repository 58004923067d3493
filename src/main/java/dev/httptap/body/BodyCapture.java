package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The first bytes of one message body as they stream by, up to a bound, and how many there were in all.
 * The buffer grows with what arrives, so a short body costs only its size. Not thread-safe: one body is
 * fed by one connection's thread.
 */
final class BodyCapture {
    private static final int INITIAL_BYTES = 1024;

    private final int maxBytes;
    private byte[] kept = new byte[0];
    private int keptLength;
    private long totalBytes;

    BodyCapture(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative capture bound " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Keeps what still fits of {@code data} (from its position to its limit) and counts all of it. */
    void append(ByteBuffer data) {
        int length = data.remaining();
        totalBytes += length;
        int fitting = Math.min(length, maxBytes - keptLength);
        if (fitting <= 0) {
            return;
        }
        if (keptLength + fitting > kept.length) {
            int grown = Math.max(keptLength + fitting, Math.min(maxBytes, Math.max(INITIAL_BYTES, kept.length * 2)));
            kept = Arrays.copyOf(kept, grown);
        }
        data.get(data.position(), kept, keptLength, fitting);
        keptLength += fitting;
    }

    /** Every byte of the body seen so far, kept or not. */
    long totalBytes() {
        return totalBytes;
    }

    /** True when nothing was dropped: {@link #bytes()} is everything seen. */
    boolean isWhole() {
        return totalBytes == keptLength;
    }

    /** A copy of the bytes kept. */
    byte[] bytes() {
        return Arrays.copyOf(kept, keptLength);
    }
}
