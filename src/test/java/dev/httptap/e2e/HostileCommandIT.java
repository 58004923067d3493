package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command with CAP_NET_RAW inside its namespace writes malformed and adversarial packets straight onto the
 * tap's device (barrage.py: lying IPv4/IPv6/TCP/UDP headers, bad checksums, fragments, SYN+FIN, RST storms,
 * out-of-window segments on a live connection, absurd window scales and MSS, extension-header chains,
 * malformed DNS, random bytes). httptap must print them as malformed, keep serving the command's ordinary
 * traffic, stay within bounds, and exit with the command's code.
 */
class HostileCommandIT {
    private static final int BARRAGE_SEED = 15;
    private static final int BARRAGE_PACKETS = 5000;
    private static final int BARRAGE_SECONDS = 15;
    private static final Duration STEP_LIMIT = Duration.ofSeconds(40);
    /** Far above the ~100 MiB an idle run takes, far below what unbounded growth per packet would reach. */
    private static final long RSS_LIMIT_KIB = 400 * 1024;
    /** The barrage opens no connection that should need a thread of its own. */
    private static final int EXTRA_THREADS_ALLOWED = 8;

    /** The echo server sees resets: the tap dials it for each forged SYN, which the command's kernel then resets. */
    @Test
    void aBarrageOfMalformedPacketsLeavesTheTapWorking() throws IOException {
        try (LocalHttpServer web = LocalHttpServer.start();
             TcpServerFixture echo = TcpServerFixture.start(50, socket -> socket.getInputStream()
                     .transferTo(socket.getOutputStream()));
             Checkpoints checkpoints = Checkpoints.create()) {
            String url = Route.TAPPED.baseUrl(web.port()) + "/hello";
            String script = "curl -s " + url + " && echo warmed-up; " + checkpoints.await("barrage")
                    + "; python3 " + E2eSettings.script("barrage.py") + " httptap " + echo.port() + " "
                    + BARRAGE_SEED + " "
                    + BARRAGE_PACKETS + " " + BARRAGE_SECONDS
                    + "; curl -s " + url + " && echo survived; " + checkpoints.await("exit") + "; exit 3";
            RunningCommand running = Httptap.command("sh", "-c", script).flags("--stderr", "--dump-tcp").start();

            running.awaitStdout("warmed-up\n", STEP_LIMIT);
            JvmGauge before = JvmGauge.of(running);
            checkpoints.pass("barrage");
            running.awaitStdout("survived\n", STEP_LIMIT);
            JvmGauge after = JvmGauge.of(running);
            checkpoints.pass("exit");
            ProcessRun run = running.awaitExit(STEP_LIMIT);

            List<String> stderr = run.stderrLines();
            String measured = "before the barrage " + before + ", after " + after + "\n" + run.describe();
            assertAll(measured,
                    () -> assertEquals(3, run.exitCode(), "httptap exits with the command's code"),
                    () -> assertTrue(run.stdoutText().matches("(?s)" + LocalHttpServer.HELLO_BODY + "warmed-up\n"
                            + "barrage sent " + BARRAGE_PACKETS + " packets \\(handshake: yes\\)\n"
                            + LocalHttpServer.HELLO_BODY + "survived\n"),
                            "the barrage was sent whole, and curl got its body before and after it"),
                    () -> assertTrue(stderr.stream().filter(line -> line.startsWith("tcp > malformed: ")).count() > 100,
                            "--dump-tcp printed the malformed packets"),
                    () -> assertTrue(stderr.stream().noneMatch(line -> line.contains("Exception")
                            || line.startsWith("\tat ")), "no stack trace"),
                    () -> assertTrue(after.residentKib() < RSS_LIMIT_KIB, "resident memory stayed bounded"),
                    () -> assertTrue(after.threads() <= before.threads() + EXTRA_THREADS_ALLOWED,
                            "no thread per malformed packet"));
        }
    }

}
