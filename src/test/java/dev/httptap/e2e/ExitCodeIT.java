package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** httptap exits with its command's exit code, and 128+N when the command dies of signal N. */
class ExitCodeIT {

    @Test
    void exitCodeIsTheCommands() {
        ProcessRun run = Httptap.command("sh", "-c", "exit 3").run();
        assertEquals(3, run.exitCode(), run.describe());
    }

    @Test
    void commandKilledBySigtermGives143() {
        ProcessRun run = Httptap.command("sh", "-c", "kill -TERM $$").run();
        assertEquals(128 + 15, run.exitCode(), run.describe());
    }

    /** As a shell says it and exits (bash: "/tmp: Is a directory", 126). */
    @Test
    void directoryAsTheCommandGives126AndSaysSo() {
        ProcessRun run = Httptap.command("/tmp").run();

        assertAll(run.describe(),
                () -> assertEquals(126, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: /tmp: is a directory"), run.stderrLines()));
    }

    @Test
    void missingCommandOnThePathIsNotFoundAsAShellSays() {
        ProcessRun run = Httptap.command("httptap-e2e-no-such-command").run();
        assertEquals(List.of("httptap: httptap-e2e-no-such-command: command not found"), run.stderrLines(), run.describe());
    }

    @Test
    void missingCommandGives127AndSaysSo() {
        String missing = "httptap-e2e-no-such-command";
        ProcessRun run = Httptap.command(missing, "--flag").run();

        assertAll(run.describe(),
                () -> assertEquals(127, run.exitCode(), "exit code"),
                () -> assertTrue(run.stderrLines().stream().anyMatch(line -> line.contains(missing)),
                        "a message naming the missing command"));
    }
}
