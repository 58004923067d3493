package dev.httptap.http1;

/** Makes wire text safe and short for a log line. */
final class Printable {
    private static final int MAX_CHARS = 60;

    private Printable() {}

    static String excerpt(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out.append(text.length() > MAX_CHARS ? "...\"" : "\"").toString();
    }
}
