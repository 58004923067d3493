package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** The check every client test ends with: exit 0, the program's own output, and httptap's lines. */
final class ClientAssertions {
    private ClientAssertions() {}

    static void assertClientRun(Route route, ProcessRun run, String expectedProgramStdout, Exchange... exchanges) {
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(expectedProgramStdout, run.programStdout(), "the program's own stdout"),
                () -> assertEquals(route.expectedExchangeLines(List.of(exchanges)),
                        ProcessRun.exchangeLines(run.stdoutLines()), "exchange lines on stdout"),
                () -> assertEquals("", run.stderrText(), "stderr"));
    }
}
