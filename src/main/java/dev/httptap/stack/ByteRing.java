package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * A bounded byte queue in a circular array that grows on demand up to {@code maxCapacity}, so a new
 * connection costs nothing and a busy one copies bytes without allocating; {@link #release} gives the array
 * back once the queue is empty, so an idle one costs nothing again. Bytes may also be written past the
 * committed end (out-of-order data) and committed later.
 */
final class ByteRing {
    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL_CAPACITY = 4096;

    private final int maxCapacity;
    private byte[] bytes = EMPTY;
    private int head;
    private int size;

    ByteRing(int maxCapacity) {
        this.maxCapacity = maxCapacity;
    }

    /** Committed bytes, readable from the head. */
    int size() {
        return size;
    }

    int maxCapacity() {
        return maxCapacity;
    }

    /** Room left after the committed bytes. */
    int free() {
        return maxCapacity - size;
    }

    /**
     * Copies {@code length} bytes from absolute index {@code srcIndex} of {@code src} to {@code offset}
     * bytes after the head, without committing them and without moving {@code src}'s position.
     */
    void write(int offset, ByteBuffer src, int srcIndex, int length) {
        if (offset < 0 || length < 0 || offset + length > maxCapacity) {
            throw new IllegalArgumentException("write of " + length + " at " + offset + " exceeds " + maxCapacity);
        }
        ensureCapacity(offset + length);
        int at = physical(offset);
        int first = Math.min(length, bytes.length - at);
        src.get(srcIndex, bytes, at, first);
        src.get(srcIndex + first, bytes, 0, length - first);
    }

    /** Makes {@code count} bytes after the committed end readable. */
    void commit(int count) {
        size += count;
    }

    /** Moves up to {@code dst.remaining()} committed bytes into {@code dst}; returns the count. */
    int read(ByteBuffer dst) {
        int count = Math.min(size, dst.remaining());
        int first = Math.min(count, bytes.length - head);
        dst.put(bytes, head, first);
        dst.put(bytes, 0, count - first);
        discard(count);
        return count;
    }

    /** Copies committed bytes at {@code offset} after the head to absolute {@code dstIndex} of {@code dst}. */
    void copyTo(int offset, ByteBuffer dst, int dstIndex, int length) {
        int at = physical(offset);
        int first = Math.min(length, bytes.length - at);
        dst.put(dstIndex, bytes, at, first);
        dst.put(dstIndex + first, bytes, 0, length - first);
    }

    /** Drops {@code count} bytes from the head. */
    void discard(int count) {
        size -= count;
        head = size == 0 && bytes.length > 0 ? 0 : physical(count);
    }

    /** Bytes held in memory now (the array), at most {@link #maxCapacity}. */
    int allocated() {
        return bytes.length;
    }

    /** Frees the array; only when no byte, committed or not, is held (the caller knows about the latter). */
    void release() {
        if (size != 0) {
            throw new IllegalStateException("release of a ring holding " + size + " bytes");
        }
        bytes = EMPTY;
        head = 0;
    }

    private int physical(int offset) {
        int at = head + offset;
        return at >= bytes.length ? at - bytes.length : at;
    }

    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        int capacity = Math.max(INITIAL_CAPACITY, bytes.length);
        while (capacity < needed) {
            capacity *= 2;
        }
        byte[] grown = new byte[Math.min(capacity, maxCapacity)];
        // Keep the whole old array in logical order: it may hold uncommitted out-of-order bytes too.
        int first = bytes.length - head;
        System.arraycopy(bytes, head, grown, 0, first);
        System.arraycopy(bytes, 0, grown, first, head);
        bytes = grown;
        head = 0;
    }
}
