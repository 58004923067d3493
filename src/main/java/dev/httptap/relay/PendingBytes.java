package dev.httptap.relay;

import dev.httptap.stack.BufferBudget;
import java.nio.ByteBuffer;

/**
 * Bytes a handler sent that their destination has not taken yet, in order. Starts empty and small, grows
 * as needed up to {@link #MAX_BYTES} (the relay's backpressure keeps it near one read's worth), and gives
 * its array back once drained: the slow path allocates, an idle or finished connection holds nothing. What
 * it holds is counted in the run's {@link BufferBudget}.
 */
final class PendingBytes {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Far above what one read plus TLS framing can produce; reaching it is a handler bug. */
    static final int MAX_BYTES = 4 * Splice.CHUNK_BYTES;

    /** Written from position 0 to position; {@link #drainTo} reads from {@code readPosition}. */
    private final BufferBudget.Account account;
    private ByteBuffer buffer = EMPTY;
    private int readPosition;

    PendingBytes(BufferBudget.Account account) {
        this.account = account;
    }

    /** The most that may be read from the source now to pass on here: the budget's say, never over a chunk. */
    int readLimit(int chunk) {
        return Math.min(chunk, Math.max(0, account.limit() - size()));
    }

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
        account.hold(size());
    }

    /** Offers the pending bytes to {@code sink}, which returns how many it took; drops those. */
    <E extends Exception> void drainTo(Sink<E> sink) throws E {
        if (isEmpty()) {
            return;
        }
        ByteBuffer view = buffer.duplicate().flip().position(readPosition);
        readPosition += sink.take(view);
        if (isEmpty()) {
            release();
        }
        account.hold(size());
    }

    /** Drops every pending byte and the array: the connection is over. */
    void release() {
        buffer = EMPTY;
        readPosition = 0;
        account.hold(0);
    }

    interface Sink<E extends Exception> {
        int take(ByteBuffer bytes) throws E;
    }
}
