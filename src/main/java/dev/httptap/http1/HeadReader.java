package dev.httptap.http1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the bytes of one message head, across as many reads as it takes, up to the blank line that ends
 * it. Heads are small, so they are copied; the bytes after the head are left in the caller's buffer.
 * Bare LF is accepted as a line end, as most servers do. Field lines may hold any byte (servers differ on
 * control bytes, and the report should show what the server got); only the start line must be text, which
 * tells HTTP from other protocols early. A head larger than {@link #MAX_HEAD_BYTES} is kept up to that
 * bound and the rest skipped (see {@link HeadOverflow}).
 */
final class HeadReader {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Empty lines tolerated before a start line (some clients send CRLF after a body; a response may not start so). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;
    /** Enough of a start line to tell a request from other bytes. */
    private static final int START_LINE_EXCERPT_BYTES = 256;

    private final HeadOverflow overflow = new HeadOverflow();
    private byte[] bytes = new byte[1024];
    private int length;
    private int lineStart;
    private int leadingEmptyLines;

    /** The bytes of a head begun and not yet ended (leading empty lines not counted); 0 between heads. */
    long bytesSoFar() {
        return length + overflow.skippedBytes();
    }

    /** Consumes head bytes from {@code data}; true once the blank line ending the head has been consumed. */
    boolean read(ByteBuffer data) throws Http1Exception {
        while (data.hasRemaining()) {
            if (overflow.isActive()) {
                if (skipUpToLineEnd(data) && overflow.endLine()) {
                    return true;
                }
            } else if (appendUpToLineEnd(data)) {
                data.get(); // the LF
                if (isCurrentLineEmpty()) {
                    if (lineStart > 0) {
                        length = lineStart;
                        return true;
                    }
                    skipLeadingEmptyLine();
                } else {
                    ensureCapacity(length + 1); // within the bound: room for the LF was kept
                    bytes[length++] = '\n';
                    lineStart = length;
                }
            }
        }
        return false;
    }

    /**
     * Copies the bytes before the next LF in one go (heads are read a buffer at a time, not a byte at a
     * time); true if {@code data} is left at that LF, false if it was used up first or the head outgrew
     * its bound.
     */
    private boolean appendUpToLineEnd(ByteBuffer data) throws Http1Exception {
        int start = data.position();
        int limit = data.limit();
        int scanEnd = Math.min(limit, start + MAX_HEAD_BYTES - 1 - length); // one byte kept for the LF
        boolean startLine = lineStart == 0;
        int end = start;
        while (end < scanEnd && data.get(end) != '\n') {
            if (startLine) {
                checkStartLineByte(data.get(end));
            }
            end++;
        }
        ensureCapacity(length + end - start);
        data.get(bytes, length, end - start);
        length += end - start;
        if (end == limit) {
            return false;
        }
        if (data.get(end) != '\n') {
            startOverflow(startLine);
            return false;
        }
        return true;
    }

    /** Skips bytes up to the next LF, which it consumes; true if it got there. */
    private boolean skipUpToLineEnd(ByteBuffer data) {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                return true;
            }
            overflow.add(b);
        }
        return false;
    }

    /**
     * The current line does not fit: it and the rest of the head are skipped, but for framing lines (and
     * a start line's first bytes and last word).
     */
    private void startOverflow(boolean startLine) {
        if (startLine) {
            overflow.startInStartLine(); // the bytes read so far are the part shown
            return;
        }
        overflow.start();
        for (int i = lineStart; i < length; i++) {
            overflow.add(bytes[i]);
        }
        length = lineStart;
    }

    /**
     * CR, tab, VT, FF (whitespace servers split request lines on), visible ASCII and any byte above 0x7f
     * (obs-text); other control bytes mean this is not HTTP/1.
     */
    private static void checkStartLineByte(byte b) throws Http1Exception {
        if (!(b == '\r' || b == '\t' || b == 0x0b || b == '\f' || (b >= 0x20 && b != 0x7f) || b < 0)) {
            throw new Http1Exception("control byte 0x" + Integer.toHexString(b & 0xff) + " in a start line");
        }
    }

    /** The start line of a head still arriving (its first bytes); null when no head is under way. */
    String startLineSoFar() {
        if (length == 0) {
            return null;
        }
        int end = lineStart == 0 ? length : lineStart - 1;
        return new String(bytes, 0, Math.min(end, START_LINE_EXCERPT_BYTES), StandardCharsets.ISO_8859_1);
    }

    /** The start line of a head still arriving once it is whole (without its LF); null before. */
    String wholeStartLine() {
        return lineStart == 0 ? null : new String(bytes, 0, lineStart - 1, StandardCharsets.ISO_8859_1);
    }

    /** The head that {@link #read} just completed; the reader is then ready for the next one. */
    RawHead take() throws Http1Exception {
        RawHead head;
        if (overflow.isActive()) {
            List<String> notes = overflow.notes(length);
            byte[] startLineEnd = overflow.startLineEnd();
            ByteArrayOutputStream kept = new ByteArrayOutputStream(length + 1024);
            kept.write(bytes, 0, length);
            if (lineStart == 0) { // the start line was cut: its end, then the lines kept
                kept.write(startLineEnd, 0, startLineEnd.length);
                kept.write('\n');
            }
            byte[] keptLines = overflow.keptLines();
            kept.write(keptLines, 0, keptLines.length);
            head = HeadParser.parse(kept.toByteArray(), kept.size(), notes);
        } else {
            head = HeadParser.parse(bytes, length, List.of());
        }
        head = head.afterEmptyLines(leadingEmptyLines);
        overflow.reset();
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

    /** Grows the array, doubling, up to {@link #MAX_HEAD_BYTES}; callers stay within that bound. */
    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(Math.max(bytes.length * 2, needed), MAX_HEAD_BYTES));
        }
    }
}
