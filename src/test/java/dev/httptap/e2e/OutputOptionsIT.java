package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** httptap's own output options. */
class OutputOptionsIT {

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
