package dev.httptap.tls;

import java.nio.ByteBuffer;

/** Client bytes kept while a decision waits, in order, up to a fixed bound. */
final class HeldBytes {
    private final int limit;
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    HeldBytes(int limit) {
        this.limit = limit;
    }

    /** Copies what fits; returns false when {@code data} did not all fit under the bound. */
    boolean add(ByteBuffer data) {
        int needed = bytes.position() + data.remaining();
        if (needed > limit) {
            return false;
        }
        if (bytes.remaining() < data.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.min(limit, Math.max(needed, 2 * bytes.capacity())));
            bytes = larger.put(bytes.flip());
        }
        bytes.put(data.duplicate());
        return true;
    }

    boolean isEmpty() {
        return bytes.position() == 0;
    }

    /** The bytes held so far, as a read-only view. */
    ByteBuffer view() {
        return bytes.asReadOnlyBuffer().flip();
    }

    /** Hands the bytes over and forgets them. */
    ByteBuffer take() {
        ByteBuffer taken = bytes.flip();
        bytes = ByteBuffer.allocate(0);
        return taken;
    }
}
