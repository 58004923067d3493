package dev.httptap.relay;

import java.nio.ByteBuffer;

/**
 * Bytes a handler sent that their destination has not taken yet, in order. Starts empty and small, grows
 * as needed up to {@link #MAX_BYTES} (the relay's backpressure keeps it near one read's worth).
 */
final class PendingBytes {
    /** Far above what one read plus TLS framing can produce; reaching it is a handler bug. */
    static final int MAX_BYTES = 4 * Splice.CHUNK_BYTES;

    /** Written from position 0 to position; {@link #drainTo} reads from {@code readPosition}. */
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private int readPosition;

    int size() {
        return buffer.position() - readPosition;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Copies all of {@code bytes}; throws {@link IllegalStateException} beyond {@link #MAX_BYTES}. */
    void add(ByteBuffer bytes) {
        int needed = size() + bytes.remaining();
        if (needed > MAX_BYTES) {
            throw new IllegalStateException("more than " + MAX_BYTES + " bytes pending for one side");
        }
        if (buffer.remaining() < bytes.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, Math.min(MAX_BYTES, 2 * needed)));
            larger.put(buffer.flip().position(readPosition));
            buffer = larger;
            readPosition = 0;
        }
        buffer.put(bytes);
    }

    /** Offers the pending bytes to {@code sink}, which returns how many it took; drops those. */
    <E extends Exception> void drainTo(Sink<E> sink) throws E {
        if (isEmpty()) {
            return;
        }
        ByteBuffer view = buffer.duplicate().flip().position(readPosition);
        readPosition += sink.take(view);
        if (isEmpty()) {
            buffer.clear();
            readPosition = 0;
        }
    }

    interface Sink<E extends Exception> {
        int take(ByteBuffer bytes) throws E;
    }
}
