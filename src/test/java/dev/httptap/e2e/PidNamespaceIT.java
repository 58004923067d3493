package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command's own PID namespace (native-helper/init.c), both ways a command starts (before the JVM, from
 * the plan the run before left, and by the JVM): its init reaps orphans, passes exit codes and deaths by
 * signal on unchanged, and the command's /proc shows the namespace.
 */
class PidNamespaceIT {
    /** Orphans in the namespace: 200 background jobs whose parent subshell exits at once. */
    private static final int ORPHANS = 200;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void orphansAreReapedSoNoZombiesPileUp(boolean early) {
        ProcessRun run = started(early, Httptap.command("sh", "-c", String.join("\n",
                "i=0",
                "while [ $i -lt " + ORPHANS + " ]; do (sleep 0.01 &); i=$((i+1)); done",
                "sleep 1",
                // The third field of /proc/PID/stat is the state; none of these commands has a space in its name.
                "echo zombies $(cat /proc/[0-9]*/stat 2>/dev/null | awk '$3 == \"Z\"' | wc -l)"))).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals("zombies 0\n", run.programStdout()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theCommandsProcSeesItsNamespace(boolean early) {
        // $$ is the shell's pid as its namespace numbers it; cut's parent, read from /proc, is that shell.
        ProcessRun run = started(early, Httptap.command("sh", "-c",
                "echo $$ $(cut -d ' ' -f 4 /proc/self/stat); ls -d /proc/[0-9]* | wc -l")).run();

        String[] lines = run.programStdout().split("\n");
        String[] pids = lines[0].split(" ");
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(pids[0], pids[1], "$$ against cut's parent in /proc"),
                // The init, the shell, ls and wc (a pipeline's processes may not all have started yet).
                () -> assertTrue(Integer.parseInt(lines[1].trim()) <= 4, "processes in /proc: " + lines[1]));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void exitCodesAndDeathsBySignalPassThroughTheInit(boolean early) {
        ProcessRun exited = started(early, Httptap.command("sh", "-c", "exit 255")).run();
        ProcessRun killed = started(early, Httptap.command("sh", "-c", "kill -KILL $$")).run();

        assertAll(
                () -> assertEquals(255, exited.exitCode(), exited.describe()),
                () -> assertEquals(128 + 9, killed.exitCode(), killed.describe()));
    }

    /** {@code httptap} started before the JVM (a plan left by a run just before) or by it (--fresh-ca). */
    /**
     * Every command used to be pid 2: a JVM keeps its performance data in /tmp/hsperfdata_USER/PID, shared
     * with the host, and the second of two wrapped JVMs found the first's file locked and printed a warning
     * on its standard output. The namespace's pids now start at a random number.
     */
    @Test
    void twoWrappedJvmsAtOnceKeepTheirOutputClean(@TempDir Path dir) throws IOException {
        Path program = dir.resolve("Sleeper.java");
        Files.writeString(program, "class Sleeper { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(3000); System.out.println(\"slept\"); } }");
        Httptap.command("true").run(); // the early start's plan, so that both start at once
        RunningCommand first = Httptap.command("java", "-XX:+UsePerfData", program.toString()).start();
        ProcessRun second = Httptap.command("java", "-XX:+UsePerfData", program.toString()).run();
        ProcessRun firstRun = first.awaitExit(E2eSettings.runTimeout());

        assertAll(
                () -> assertEquals("slept\n", firstRun.programStdout(), firstRun.describe()),
                () -> assertEquals("slept\n", second.programStdout(), second.describe()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theCommandsPidDiffersFromRunToRun(boolean early) {
        ProcessRun one = started(early, Httptap.command("sh", "-c", "echo $$")).run();
        ProcessRun other = started(early, Httptap.command("sh", "-c", "echo $$")).run();

        assertNotEquals(one.programStdout(), other.programStdout(), one.describe() + other.describe());
    }

    private static Httptap started(boolean early, Httptap httptap) {
        if (early) {
            Httptap.command("true").run();
        } else {
            httptap.flags("--fresh-ca");
        }
        return httptap;
    }
}
