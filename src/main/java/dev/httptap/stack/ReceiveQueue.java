package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * Bytes from the child waiting for the forwarder: in-order bytes are readable; out-of-order ones wait in
 * the same ring at their place in the window until the gap before them fills.
 */
final class ReceiveQueue {
    private final ByteRing ring;
    private final Reassembly reassembly = new Reassembly();

    ReceiveQueue(int maxCapacity) {
        ring = new ByteRing(maxCapacity);
    }

    /**
     * Stores {@code length} bytes that start {@code offset} bytes after the in-order end. Returns how many
     * bytes became readable (0 while a gap remains), or {@link Reassembly#FULL} if the bytes were dropped
     * because too many gaps are open.
     */
    int accept(int offset, ByteBuffer src, int srcIndex, int length) {
        if (offset == 0 && reassembly.isEmpty()) {
            ring.write(ring.size(), src, srcIndex, length);
            ring.commit(length);
            return length;
        }
        int contiguous = reassembly.add(offset, length);
        if (contiguous == Reassembly.FULL) {
            return Reassembly.FULL;
        }
        ring.write(ring.size() + offset, src, srcIndex, length);
        ring.commit(contiguous);
        return contiguous;
    }

    /** How many bytes fit from {@code offset} bytes after the in-order end. */
    int roomAfter(int offset) {
        return ring.maxCapacity() - ring.size() - offset;
    }

    int read(ByteBuffer dst) {
        return ring.read(dst);
    }

    int readable() {
        return ring.size();
    }

    /** Gives the buffer back if nothing is waiting in it, in order or out of order. */
    void releaseIfEmpty() {
        if (ring.size() == 0 && reassembly.isEmpty()) {
            ring.release();
        }
    }

    /** Bytes of buffer held now. */
    int allocated() {
        return ring.allocated();
    }

    boolean hasGaps() {
        return !reassembly.isEmpty();
    }
}
