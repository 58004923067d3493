package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A started process whose stdout and stderr are captured on their own threads. Waiting is always bounded:
 * past the deadline the whole process tree is killed and the test fails.
 */
final class RunningCommand {
    /** Output kept per stream; a runaway command cannot exhaust the test JVM's memory. */
    private static final int MAX_CAPTURE = 16 * 1024 * 1024;

    private final List<String> command;
    private final Process process;
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private RunningCommand(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutPump = pump(process.getInputStream(), stdout, "stdout");
        this.stderrPump = pump(process.getErrorStream(), stderr, "stderr");
    }

    /** Starts {@code command} with stdin from /dev/null and an environment free of proxy settings and PYTHONUNBUFFERED. */
    static RunningCommand start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A proxy setting would send the clients around the tap (or to the internet): never inherit one.
        builder.environment().keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        // CI sets it; python's print then writes a line and its newline apart, and httptap's own lines, on the
        // same stdout, can land between them. Python clients run as on a developer's machine.
        builder.environment().remove("PYTHONUNBUFFERED");
        try {
            return new RunningCommand(command, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs {@code command} to completion within {@code timeout}. */
    static ProcessRun run(Duration timeout, List<String> command) {
        return start(command).awaitExit(timeout);
    }

    /** What the process has written to stdout so far. */
    String stdoutSoFar() {
        return text(stdout);
    }

    /** What the process has written to stderr so far. */
    String stderrSoFar() {
        return text(stderr);
    }

    /** Waits until stdout holds {@code marker}; fails the test if the process ends or {@code limit} passes first. */
    void awaitStdout(String marker, Duration limit) {
        boolean seen = ProcessTable.awaitCondition(limit, () -> stdoutSoFar().contains(marker) || !isAlive());
        if (!seen || !stdoutSoFar().contains(marker)) {
            killTree();
            fail("no '" + marker.strip() + "' from " + command + "\n--- stdout so far ---\n" + text(stdout)
                    + "\n--- stderr so far ---\n" + text(stderr));
        }
    }

    long pid() {
        return process.pid();
    }

    /** The process and its descendants, as they are now. */
    List<ProcessHandle> processTree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM to the process itself (not its children). */
    void terminate() {
        process.destroy();
    }

    /** Waits for exit and for all output; on timeout kills the process tree and fails the test. */
    ProcessRun awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree();
                fail("timed out after " + timeout.toSeconds() + " s, killed: " + command
                        + "\n--- stdout so far ---\n" + text(stdout) + "\n--- stderr so far ---\n" + text(stderr));
            }
            // Output pipes close once every process holding them is gone; grandchildren may linger briefly.
            stdoutPump.join(timeout.toMillis());
            stderrPump.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            fail("interrupted while waiting for " + command);
        }
        return new ProcessRun(command, process.exitValue(), bytes(stdout), bytes(stderr));
    }

    /** Kills the process and every descendant (listed before the kill, so none escapes by re-parenting). */
    void killTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                for (int n; (n = from.read(buffer)) != -1; ) {
                    synchronized (to) {
                        to.write(buffer, 0, Math.min(n, MAX_CAPTURE - to.size()));
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read so far is kept
            }
        }, "capture-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static byte[] bytes(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toByteArray();
        }
    }

    private static String text(ByteArrayOutputStream buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }
}
