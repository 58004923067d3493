package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * Bytes for the child from SND.UNA on: those sent and not yet acknowledged, then those not yet sent.
 * Offsets count from SND.UNA.
 */
final class SendQueue {
    private final ByteRing ring;

    SendQueue(int maxCapacity) {
        ring = new ByteRing(maxCapacity);
    }

    /** Takes as many bytes from {@code src} as fit, at most {@code max}, advancing its position; returns the count. */
    int write(ByteBuffer src, int max) {
        int count = Math.min(Math.min(src.remaining(), ring.free()), max);
        ring.write(ring.size(), src, src.position(), count);
        ring.commit(count);
        src.position(src.position() + count);
        return count;
    }

    /** Forgets bytes the child acknowledged. */
    void acknowledge(int count) {
        ring.discard(count);
    }

    /** Copies {@code length} bytes at {@code offset} to absolute {@code dstIndex} of {@code dst}. */
    void copyTo(int offset, ByteBuffer dst, int dstIndex, int length) {
        ring.copyTo(offset, dst, dstIndex, length);
    }

    /** Gives the buffer back if no byte is queued. */
    void releaseIfEmpty() {
        if (ring.size() == 0) {
            ring.release();
        }
    }

    /** Bytes of buffer held now. */
    int allocated() {
        return ring.allocated();
    }

    int size() {
        return ring.size();
    }

    int free() {
        return ring.free();
    }
}
