package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

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
}
