package dev.httptap.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What {@link Log} writes while a test's code runs, as lines; the log goes back to stderr afterwards. */
public final class LogCapture {
    /** A piece of test code that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private LogCapture() {}

    public static List<String> linesDuring(Action action) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.configure(false, new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            Log.configure(false, System.err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
