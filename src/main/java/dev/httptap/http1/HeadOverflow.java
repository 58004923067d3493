package dev.httptap.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The part of a head beyond {@link HeadReader#MAX_HEAD_BYTES}: counted and skipped, so memory stays bounded,
 * except the lines that frame the body (Content-Length, Transfer-Encoding), kept so that the exchange can
 * still be followed past its body. Servers answer such heads (often with 431); the report shows them cut.
 */
final class HeadOverflow {
    /** A framing line longer than this is not one a server would follow either. */
    private static final int MAX_LINE_BYTES = 256;
    private static final int MAX_FRAMING_BYTES = 1024;

    private final byte[] line = new byte[MAX_LINE_BYTES];
    private final ByteArrayOutputStream framing = new ByteArrayOutputStream();
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

    /** One byte of the current line (not its LF). */
    void add(byte b) {
        skippedBytes++;
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
        boolean blank = !lineHasContent;
        if (!blank && lineLength <= MAX_LINE_BYTES && isFramingLine()) {
            if (framing.size() + lineLength + 1 > MAX_FRAMING_BYTES) {
                throw new Http1Exception("more than " + MAX_FRAMING_BYTES + " bytes of framing fields beyond the first "
                        + HeadReader.MAX_HEAD_BYTES / 1024 + " KiB of the head");
            }
            framing.write(line, 0, lineLength);
            framing.write('\n');
        }
        lineLength = 0;
        lineHasContent = false;
        return blank;
    }

    /** The framing lines kept, each ending in LF. */
    byte[] framingLines() {
        return framing.toByteArray();
    }

    /** The bytes passed over since the head outgrew its bound. */
    long skippedBytes() {
        return skippedBytes;
    }

    /** What the report leaves out, for a note; {@code kept}: the bytes of the head that are shown. */
    String note(int kept) {
        return "head of " + (kept + skippedBytes) + " bytes: only its first " + kept + " bytes are shown";
    }

    void reset() {
        active = false;
        framing.reset();
        lineLength = 0;
        lineHasContent = false;
        skippedBytes = 0;
    }

    private boolean isFramingLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        String name = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        return FramingRules.isFramingField(name);
    }
}
