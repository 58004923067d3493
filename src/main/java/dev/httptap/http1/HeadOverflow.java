package dev.httptap.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The part of a head beyond {@link HeadReader#MAX_HEAD_BYTES}: counted and skipped, so memory stays bounded,
 * except the lines that frame the body (Content-Length, Transfer-Encoding), kept so that the exchange can
 * still be followed past its body, and Host, which names the URL. Servers answer such heads (often with 431); the report shows them cut.
 * A start line that alone outgrows the cap (a huge URL, which servers answer with 414) keeps its first
 * bytes and its last word, the version, so that the request can still be read and reported.
 */
final class HeadOverflow {
    /** A framing or Host line longer than this is not one a server would follow either. */
    private static final int MAX_LINE_BYTES = 256;
    private static final int MAX_KEPT_BYTES = 1024;
    /** Enough for the last word of a start line ("HTTP/1.1") and a CR. */
    private static final int START_LINE_TAIL_BYTES = 16;

    private final byte[] line = new byte[MAX_LINE_BYTES];
    private final ByteArrayOutputStream keptLines = new ByteArrayOutputStream();
    private final byte[] startLineTail = new byte[START_LINE_TAIL_BYTES];
    /** The start line is the one being skipped. */
    private boolean inStartLine;
    /** Bytes of the start line skipped; 0 when it fitted. */
    private long startLineSkipped;
    private int lineLength;
    private boolean lineHasContent;
    private long skippedBytes;
    private boolean active;

    boolean isActive() {
        return active;
    }

    /** The head outgrew the cap: from here on its bytes are skipped. */
    void start() {
        active = true;
    }

    /** The start line outgrew the cap: the rest of it is skipped but for its last word, then the head. */
    void startInStartLine() {
        active = true;
        inStartLine = true;
    }

    /** One byte of the current line (not its LF). */
    void add(byte b) {
        skippedBytes++;
        if (inStartLine) {
            startLineTail[(int) (startLineSkipped++ % START_LINE_TAIL_BYTES)] = b;
            return;
        }
        if (b != '\r') {
            lineHasContent = true;
        }
        if (lineLength < MAX_LINE_BYTES) {
            line[lineLength] = b;
        }
        lineLength++;
    }

    /** The current line's LF arrived; true when that line was the blank one that ends the head. */
    boolean endLine() throws Http1Exception {
        skippedBytes++;
        if (inStartLine) {
            inStartLine = false;
            return false;
        }
        boolean blank = !lineHasContent;
        if (!blank && lineLength <= MAX_LINE_BYTES && isKeptLine()) {
            if (keptLines.size() + lineLength + 1 > MAX_KEPT_BYTES) {
                throw new Http1Exception("more than " + MAX_KEPT_BYTES + " bytes of framing and Host fields beyond the first "
                        + HeadReader.MAX_HEAD_BYTES / 1024 + " KiB of the head");
            }
            keptLines.write(line, 0, lineLength);
            keptLines.write('\n');
        }
        lineLength = 0;
        lineHasContent = false;
        return blank;
    }

    /** The framing and Host lines kept, each ending in LF. */
    byte[] keptLines() {
        return keptLines.toByteArray();
    }

    /** The bytes passed over since the head outgrew its bound. */
    long skippedBytes() {
        return skippedBytes;
    }

    /**
     * The end of a start line that was cut: a space and its last word (without CR), taken from the bytes
     * skipped last; empty when the start line fitted or its last word was longer than the bytes kept.
     */
    byte[] startLineEnd() {
        int count = (int) Math.min(startLineSkipped, START_LINE_TAIL_BYTES);
        byte[] tail = new byte[count];
        for (int i = 0; i < count; i++) {
            tail[i] = startLineTail[(int) ((startLineSkipped - count + i) % START_LINE_TAIL_BYTES)];
        }
        int end = count;
        while (end > 0 && tail[end - 1] == '\r') {
            end--;
        }
        int wordStart = end;
        while (wordStart > 0 && !isSeparator(tail[wordStart - 1])) {
            wordStart--;
        }
        if (wordStart == 0 || wordStart == end) {
            return new byte[0];
        }
        byte[] word = new byte[end - wordStart + 1];
        word[0] = ' ';
        System.arraycopy(tail, wordStart, word, 1, end - wordStart);
        return word;
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '\t' || b == 0x0b || b == '\f' || b == '\r';
    }

    /** What the report leaves out, for notes; {@code kept}: the bytes of the head that are shown. */
    List<String> notes(int kept) {
        String head = "head of " + (kept + skippedBytes) + " bytes: only its first " + kept + " bytes are shown";
        if (startLineSkipped == 0) {
            return List.of(head);
        }
        return List.of("start line of " + (kept + startLineSkipped) + " bytes: only its first " + kept
                + " bytes and its last word are shown", head);
    }

    void reset() {
        active = false;
        keptLines.reset();
        lineLength = 0;
        lineHasContent = false;
        skippedBytes = 0;
        inStartLine = false;
        startLineSkipped = 0;
    }

    private boolean isKeptLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        String name = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        return FramingRules.isFramingField(name) || name.equals("host");
    }
}
