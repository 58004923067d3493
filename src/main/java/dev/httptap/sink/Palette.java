package dev.httptap.sink;

/** The original httptap's colours, or none: each method returns one line ending in a newline. */
final class Palette {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD_BLUE = "\u001b[1;34m";
    private static final String GREEN = "\u001b[32m";
    private static final String MAGENTA = "\u001b[35m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";

    private final boolean colour;

    Palette(boolean colour) {
        this.colour = colour;
    }

    /** A request line ("---&gt; GET URL", "---&gt; DNS name (A)"). */
    String request(String line) {
        return paint(BOLD_BLUE, line);
    }

    /** A line for something that failed (no response, a DNS error). */
    String failure(String line) {
        return paint(RED, line);
    }

    /** A remark on what an exchange's lines leave out or had to guess. */
    String note(String line) {
        return paint(YELLOW, line);
    }

    /** A response line, coloured by status: anything below 300 green, then magenta, yellow, red. */
    String status(int status, String line) {
        String style = status < 300 ? GREEN : status < 400 ? MAGENTA : status < 500 ? YELLOW : RED;
        return paint(style, line);
    }

    /** A successful answer that has no status code (DNS). */
    String success(String line) {
        return paint(GREEN, line);
    }

    private String paint(String style, String line) {
        return colour ? style + line + RESET + "\n" : line + "\n";
    }
}
