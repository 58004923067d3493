package dev.httptap.sink;

/**
 * What the terminal printer shows besides the two lines of each exchange.
 *
 * @param colour         ANSI colours (the CLI's call: a terminal, and NO_COLOR unset)
 * @param heads          header fields, "&gt; Name: value" and "&lt; Name: value" (--head)
 * @param bodies         bodies, decoded and cut at {@code bodyPrintLimit} bytes (--body)
 * @param bodyPrintLimit at most this many (decoded) bytes of each body are shown
 */
public record PrintOptions(boolean colour, boolean heads, boolean bodies, int bodyPrintLimit) {
    public static final int DEFAULT_BODY_PRINT_LIMIT = 4096;

    public PrintOptions {
        if (bodyPrintLimit < 0) {
            throw new IllegalArgumentException("negative body print limit " + bodyPrintLimit);
        }
    }

    /** Just the request and response lines. */
    public static PrintOptions linesOnly(boolean colour) {
        return new PrintOptions(colour, false, false, DEFAULT_BODY_PRINT_LIMIT);
    }
}
