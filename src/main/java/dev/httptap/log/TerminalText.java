package dev.httptap.log;

/**
 * Makes text from a peer (a request line, a header, a DNS name, a server's error message) safe to write to
 * a terminal on one line: every control character, C0 (below 0x20), DEL and C1 (0x80 to 0x9F, where 0x9B
 * is CSI to a terminal that reads 8-bit controls), is written visibly as {@code \xNN}, so no peer can move
 * the cursor, recolour, retitle or forge a line. Recordings (HAR, JSON lines) keep the exact characters.
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with its control characters escaped; the same string when it has none. */
    public static String safe(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** C0, DEL or C1. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
