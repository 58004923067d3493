package dev.httptap.log;

import java.io.PrintStream;

/**
 * httptap's own diagnostics: errors always, details with {@code --verbose}. Every layer may use it; it
 * writes whole lines, so lines from different threads never mix, and escapes control characters in them
 * ({@link TerminalText}), as messages may quote what a peer sent.
 */
public final class Log {
    private static volatile boolean verbose;
    private static volatile PrintStream out = System.err;

    private Log() {}

    public static void configure(boolean verboseEnabled, PrintStream output) {
        verbose = verboseEnabled;
        out = output;
    }

    public static boolean isVerbose() {
        return verbose;
    }

    /** A detail shown only with {@code --verbose}. */
    public static void verbose(String format, Object... args) {
        if (verbose) {
            line("httptap: " + String.format(format, args));
        }
    }

    /** A problem the user should see. */
    public static void error(String format, Object... args) {
        line("httptap: " + String.format(format, args));
    }

    private static void line(String text) {
        PrintStream stream = out;
        synchronized (stream) {
            stream.println(TerminalText.safe(text));
            stream.flush();
        }
    }
}
