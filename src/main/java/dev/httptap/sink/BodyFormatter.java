package dev.httptap.sink;

import dev.httptap.body.DecodedBody;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns a decoded body into the lines printed under its exchange line: text (by {@link BodyKind}) as text,
 * anything else as a short hex and ASCII preview with its size, then what was left out. A body that could not be decoded
 * gets a one-line note and is shown as received.
 */
final class BodyFormatter {
    /** Binary bodies show only this much, whatever the print limit: a hex dump is four times as long. */
    static final int BINARY_PREVIEW_BYTES = 64;
    private static final int HEX_ROW_BYTES = 16;

    private BodyFormatter() {}

    /** The lines for {@code body}, each ending in a newline; empty for an empty body. */
    static String format(DecodedBody body, Optional<String> contentType) {
        byte[] bytes = body.bytes();
        if (bytes.length == 0 && !body.cut()) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        body.failure().ifPresent(why -> lines.append("(").append(why).append("; shown as received)\n"));
        BodyKind kind = BodyKind.of(contentType);
        if (kind == BodyKind.TEXT || (kind == BodyKind.BY_BYTES && Utf8Text.isText(bytes))) {
            // A body cut at the limit may end inside a character: leave that character out whole.
            int printed = body.cut() ? Utf8Text.wholeCharactersLength(bytes) : bytes.length;
            appendText(lines, Arrays.copyOf(bytes, printed));
            appendRest(lines, body, printed);
        } else {
            appendBinary(lines, body);
        }
        return lines.toString();
    }

    private static void appendText(StringBuilder lines, byte[] bytes) {
        String text = Utf8Text.printable(bytes);
        lines.append(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            lines.append('\n');
        }
    }

    private static void appendBinary(StringBuilder lines, DecodedBody body) {
        byte[] bytes = body.bytes();
        lines.append("(binary, ").append(size(body)).append(")\n");
        int shown = Math.min(bytes.length, BINARY_PREVIEW_BYTES);
        for (int row = 0; row < shown; row += HEX_ROW_BYTES) {
            appendHexRow(lines, bytes, row, Math.min(row + HEX_ROW_BYTES, shown));
        }
        appendRest(lines, body, shown);
    }

    private static String size(DecodedBody body) {
        if (!body.cut()) {
            return body.bytes().length + " bytes";
        }
        return body.hiddenBytes() >= 0 ? body.bytes().length + body.hiddenBytes() + " bytes"
                : "more than " + body.bytes().length + " bytes";
    }

    /** "0000  68 65 6c 6c 6f                                   hello" */
    private static void appendHexRow(StringBuilder lines, byte[] bytes, int from, int to) {
        lines.append(String.format("%04x ", from));
        for (int i = from; i < from + HEX_ROW_BYTES; i++) {
            lines.append(i < to ? String.format(" %02x", bytes[i] & 0xff) : "   ");
        }
        lines.append("  ");
        for (int i = from; i < to; i++) {
            int octet = bytes[i] & 0xff;
            lines.append(octet >= 0x20 && octet < 0x7f ? (char) octet : '.');
        }
        lines.append('\n');
    }

    /** "... (N more bytes)" when that is known, else a note that the body goes on. */
    private static void appendRest(StringBuilder lines, DecodedBody body, int shown) {
        long known = body.hiddenBytes() >= 0 ? body.hiddenBytes() + body.bytes().length - shown : -1;
        if (known > 0) {
            lines.append("... (").append(known).append(" more bytes)\n");
        } else if (known < 0 && (body.cut() || shown < body.bytes().length)) {
            lines.append("... (more bytes after the first ").append(shown).append(")\n");
        }
    }
}
