package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encoded bytes received and not yet taken by a decoder that needs its input in one piece (zstd's blocks,
 * brotli's pull): contiguous in {@link #array()} from {@link #start()}. The array grows only to what waits.
 */
final class Backlog {
    private byte[] bytes = new byte[0];
    private int start;
    private int end;

    /** Appends {@code data}'s remaining bytes, moving its position to its limit. */
    void add(ByteBuffer data) {
        int length = data.remaining();
        if (end + length > bytes.length) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
            if (end + length > bytes.length) {
                // Doubling, but never more than 1 MiB past the need: a brotli backlog may be megabytes long.
                bytes = Arrays.copyOf(bytes, Math.max(end + length, Math.min(bytes.length * 2, end + length + (1 << 20))));
            }
        }
        data.get(bytes, end, length);
        end += length;
    }

    byte[] array() {
        return bytes;
    }

    int start() {
        return start;
    }

    int length() {
        return end - start;
    }

    /** The decoder consumed the first {@code count} bytes. */
    void take(int count) {
        start += count;
    }

    /** Drops everything, and the array with it. */
    void clear() {
        bytes = new byte[0];
        start = 0;
        end = 0;
    }
}
