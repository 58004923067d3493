package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** httptap's own output options. */
class OutputOptionsIT {

    /** A full disk: the run goes on, the exchanges are printed, the failure is said once, the code is the command's. */
    @ParameterizedTest
    @ValueSource(strings = {"--dump-har", "--dump-jsonl"})
    void aRecordingOntoAFullDiskIsReportedOnceAndTheRunGoesOn(String option) throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "curl -s " + url + "; curl -s " + url + "; exit 7")
                    .flags(option, "/dev/full").run();

            assertAll(run.describe(),
                    () -> assertEquals(7, run.exitCode(), "the command's exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY.repeat(2), run.programStdout()),
                    () -> assertEquals(4, ProcessRun.exchangeLines(run.stdoutLines()).size(), "both exchanges printed"),
                    () -> assertEquals(1, run.stderrLines().stream().filter(line -> line.startsWith("httptap: cannot write"))
                            .count(), "one report"),
                    () -> assertTrue(run.stderrText().contains("No space left on device")));
        }
    }

    @Test
    void stderrOptionMovesTheLinesToStderr() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("curl", "-s", url).flags("--stderr").run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.stdoutText(), "stdout is curl's alone"),
                    () -> assertEquals(Exchange.withBody("GET", url, 200, LocalHttpServer.HELLO_BODY).lines(),
                            run.stderrLines(), "stderr holds the exchange lines"));
        }
    }
}
