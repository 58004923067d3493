package dev.httptap.http1;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects the bytes of one message head, across as many reads as it takes, up to the blank line that ends
 * it. Heads are small, so they are copied; the bytes after the head are left in the caller's buffer.
 * Bare LF is accepted as a line end, as most servers do.
 */
final class HeadReader {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Empty lines tolerated before a start line (some clients send CRLF after a body). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    private byte[] bytes = new byte[1024];
    private int length;
    private int lineStart;
    private int leadingEmptyLines;

    /** Consumes head bytes from {@code data}; true once the blank line ending the head has been consumed. */
    boolean read(ByteBuffer data) throws Http1Exception {
        while (appendUpToLineEnd(data)) {
            data.get(); // the LF
            if (isCurrentLineEmpty()) {
                if (lineStart > 0) {
                    length = lineStart;
                    return true;
                }
                skipLeadingEmptyLine();
            } else {
                append((byte) '\n');
                lineStart = length;
            }
        }
        return false;
    }

    /**
     * Copies the bytes before the next LF in one go (heads are read a buffer at a time, not a byte at a
     * time); true if {@code data} is left at that LF, false if it was used up first.
     */
    private boolean appendUpToLineEnd(ByteBuffer data) throws Http1Exception {
        int start = data.position();
        int limit = data.limit();
        int scanEnd = Math.min(limit, start + MAX_HEAD_BYTES - length);
        int end = start;
        while (end < scanEnd && data.get(end) != '\n') {
            checkHeadByte(data.get(end));
            end++;
        }
        ensureCapacity(length + end - start);
        data.get(bytes, length, end - start);
        length += end - start;
        if (end == limit) {
            return false;
        }
        if (data.get(end) != '\n') {
            checkHeadByte(data.get(end));
            throw tooLarge();
        }
        return true;
    }

    /** CR, tab, visible ASCII and any byte above 0x7f (obs-text); other control bytes end the parse. */
    private static void checkHeadByte(byte b) throws Http1Exception {
        if (!(b == '\r' || b == '\t' || (b >= 0x20 && b != 0x7f) || b < 0)) {
            throw new Http1Exception("control byte 0x" + Integer.toHexString(b) + " in a message head");
        }
    }

    /** The head that {@link #read} just completed; the reader is then ready for the next one. */
    RawHead take() throws Http1Exception {
        RawHead head = HeadParser.parse(bytes, length);
        length = 0;
        lineStart = 0;
        leadingEmptyLines = 0;
        return head;
    }

    private boolean isCurrentLineEmpty() {
        for (int i = lineStart; i < length; i++) {
            if (bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private void skipLeadingEmptyLine() throws Http1Exception {
        length = 0;
        if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
            throw new Http1Exception("empty lines instead of a message head");
        }
    }

    private void append(byte b) throws Http1Exception {
        if (length == MAX_HEAD_BYTES) {
            throw tooLarge();
        }
        ensureCapacity(length + 1);
        bytes[length++] = b;
    }

    /** Grows the array, doubling, up to {@link #MAX_HEAD_BYTES}; callers stay within that bound. */
    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(Math.max(bytes.length * 2, needed), MAX_HEAD_BYTES));
        }
    }

    private static Http1Exception tooLarge() {
        return new Http1Exception("message head larger than " + MAX_HEAD_BYTES / 1024 + " KiB");
    }
}
