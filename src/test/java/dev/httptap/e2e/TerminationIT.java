package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stopping httptap stops the command it runs: nothing is left behind. */
class TerminationIT {
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    @Test
    void sigtermEndsHttptapAndItsCommand() {
        // A sleep of about 30 s with a duration no other process on the machine has.
        String marker = "30." + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
        RunningCommand httptap = Httptap.command("sleep", marker).start();
        try {
            if (!ProcessTable.awaitCondition(START_LIMIT, () -> !ProcessTable.withArgument(marker).isEmpty() || !httptap.isAlive())) {
                fail("sleep did not start within " + START_LIMIT.toSeconds() + " s");
            }
            assertTrue(httptap.isAlive(), () -> "httptap ended before it was signalled: " + httptap.awaitExit(STOP_LIMIT).describe());

            httptap.terminate();
            ProcessRun run = httptap.awaitExit(STOP_LIMIT);

            assertEquals(128 + 15, run.exitCode(), "exit code after SIGTERM\n" + run.describe());
            assertTrue(ProcessTable.awaitCondition(STOP_LIMIT, () -> ProcessTable.withArgument(marker).isEmpty()),
                    "sleep outlived httptap");
        } finally {
            httptap.killTree();
            List<ProcessHandle> leftovers = ProcessTable.withArgument(marker);
            leftovers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * SIGUSR1, SIGUSR2 and SIGALRM sent to httptap reach the command, which handles them and exits 0; none
     * ends or crashes httptap's JVM (SIGUSR2 is HotSpot's thread-suspension signal unless moved). Both ways
     * a command starts: before the JVM (a plan left by the run before) and by the JVM (--fresh-ca).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void userSignalsReachTheCommand(boolean early) throws Exception {
        Httptap.command("true").run(); // leaves the plan an early start uses
        String handler = String.join("\n",
                "import signal, sys, time",
                "names = ['SIGUSR1', 'SIGUSR2', 'SIGALRM']",
                "got = []",
                "for name in names:",
                "    signal.signal(getattr(signal, name), lambda n, f: got.append(signal.Signals(n).name))",
                "print('ready', flush=True)",
                "deadline = time.time() + 20",
                "while len(got) < 3 and time.time() < deadline:",
                "    time.sleep(0.02)",
                "print(' '.join(got), flush=True)",
                "sys.exit(0 if sorted(got) == sorted(names) else 1)");
        Httptap httptap = Httptap.command("python3", "-c", handler);
        if (!early) {
            httptap.flags("--fresh-ca");
        }
        RunningCommand running = httptap.start();
        try {
            if (!ProcessTable.awaitCondition(START_LIMIT, () -> running.stdoutSoFar().contains("ready") || !running.isAlive())) {
                fail("the command did not start within " + START_LIMIT.toSeconds() + " s");
            }
            for (String signal : List.of("USR1", "USR2", "ALRM")) {
                ProcessRun kill = RunningCommand.run(STOP_LIMIT, List.of("kill", "-" + signal, Long.toString(running.pid())));
                assertEquals(0, kill.exitCode(), kill.describe());
                Thread.sleep(100); // one at a time: the same signal twice may merge into one
            }
            ProcessRun run = running.awaitExit(STOP_LIMIT);
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdoutText().contains("SIGUSR1") && run.stdoutText().contains("SIGUSR2") && run.stdoutText().contains("SIGALRM"),
                    run.describe());
            assertFalse(Files.exists(E2eSettings.projectHome().resolve("hs_err_pid" + running.pid() + ".log")),
                    "the JVM crashed");
        } finally {
            running.killTree();
        }
    }

    /**
     * SIGKILL gives httptap no chance to stop anything, yet the command and what it started in the
     * background end with it: they run in a PID namespace whose init dies with httptap. Both ways a command
     * starts: before the JVM (the process killed is then the launcher's lead) and by the JVM (then the JVM).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sigkillEndsTheCommandAndItsBackgroundJobs(boolean early) {
        Httptap.command("true").run(); // leaves the plan an early start uses
        // Inside the namespace the sleeps have other pids: they are found from here by their unique duration.
        String marker = "300." + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
        Httptap httptap = Httptap.command("sh", "-c", "sleep " + marker + " & sleep " + marker);
        if (!early) {
            httptap.flags("--fresh-ca");
        }
        RunningCommand killed = httptap.start();
        try {
            if (!ProcessTable.awaitCondition(START_LIMIT, () -> ProcessTable.withArgument(marker).size() == 2 || !killed.isAlive())) {
                fail("the two sleeps did not start within " + START_LIMIT.toSeconds() + " s");
            }
            assertTrue(killed.isAlive(), () -> "httptap ended before it was killed: " + killed.awaitExit(STOP_LIMIT).describe());

            RunningCommand.run(STOP_LIMIT, List.of("kill", "-KILL", Long.toString(killed.pid())));
            ProcessRun run = killed.awaitExit(STOP_LIMIT);

            assertEquals(128 + 9, run.exitCode(), run.describe());
            assertTrue(ProcessTable.awaitCondition(STOP_LIMIT, () -> ProcessTable.withArgument(marker).isEmpty()),
                    "still running after httptap was killed: " + ProcessTable.withArgument(marker));
        } finally {
            killed.killTree();
            ProcessTable.withArgument(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A run killed with SIGKILL cannot remove its temporary directory; the next run that gets going does. */
    @Test
    void theNextRunRemovesTheDirectoryOfAKilledRun() throws Exception {
        String marker = "30." + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
        RunningCommand killed = Httptap.command("sleep", marker).flags("--fresh-ca").start();
        try {
            if (!ProcessTable.awaitCondition(START_LIMIT, () -> lockedRunDirectory(killed.pid()).isPresent() || !killed.isAlive())) {
                fail("httptap made no run directory within " + START_LIMIT.toSeconds() + " s");
            }
            Path runDir = lockedRunDirectory(killed.pid()).orElseThrow();
            RunningCommand.run(STOP_LIMIT, List.of("kill", "-KILL", Long.toString(killed.pid())));
            killed.awaitExit(STOP_LIMIT);
            assertTrue(Files.isDirectory(runDir), "SIGKILL leaves the directory behind");
            // Older than the window in which a new run's directory may still be unlocked.
            Files.setLastModifiedTime(runDir, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));

            ProcessRun next = Httptap.command("sleep", "1").flags("--fresh-ca").run();
            assertEquals(0, next.exitCode(), next.describe());
            assertTrue(ProcessTable.awaitCondition(STOP_LIMIT, () -> !Files.exists(runDir)), runDir + " is still there");
        } finally {
            killed.killTree();
            ProcessTable.withArgument(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The run directory whose lock file {@code pid} holds open, if it has one yet. */
    private static Optional<Path> lockedRunDirectory(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd);
                        } catch (IOException gone) {
                            return Path.of("/");
                        }
                    })
                    .filter(target -> target.getFileName() != null && target.getFileName().toString().equals(".run.lock"))
                    .map(Path::getParent)
                    .findFirst();
        } catch (IOException | UncheckedIOException gone) {
            return Optional.empty();
        }
    }
}
