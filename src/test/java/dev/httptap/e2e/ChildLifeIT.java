package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How httptap lives with its command: Ctrl-C in a terminal, --no-exit, and connections open at its exit. */
class ChildLifeIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int LAST_WORDS_BYTES = 1024 * 1024;

    /**
     * Drives httptap from a pseudo-terminal as a person would: waits for the command to say it is ready, types
     * Ctrl-C (or what $TERMINAL_KEYS holds), and prints the exit code httptap ended with, then everything the
     * terminal showed.
     */
    static final String TERMINAL_DRIVER = """
            import os, pty, select, sys, time
            keys = os.environ.get("TERMINAL_KEYS", "\\x03").encode()
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            seen, deadline = b"", time.time() + 20
            def pump(until):
                global seen
                while until() and time.time() < deadline:
                    ready, _, _ = select.select([fd], [], [], 0.2)
                    if ready:
                        try:
                            chunk = os.read(fd, 4096)
                        except OSError:
                            return
                        if not chunk:
                            return
                        seen += chunk
            pump(lambda: b"ready" not in seen)
            os.write(fd, keys)
            pump(lambda: True)
            _, status = os.waitpid(pid, 0)
            print(os.waitstatus_to_exitcode(status))
            print(seen.decode(errors="replace"))
            """;

    @Test
    void ctrlCInATerminalReachesTheCommandAndHttptapEndsWithIt() {
        ProcessRun run = RunningCommand.run(LIMIT, java.util.List.of("python3", "-c", TERMINAL_DRIVER,
                Httptap.launcher().toString(), "--", "sh", "-c",
                // The command takes a second to finish after Ctrl-C and exits 42: httptap must neither die of
                // the interrupt itself (130) nor leave before its command.
                "trap 'sleep 1; kill $job; echo interrupted; exit 42' INT; echo ready; sleep 20 & job=$!; wait $job"));

        String[] lines = run.stdoutText().split("\n", 2);
        assertEquals("42", lines[0].trim(), "httptap's exit code after Ctrl-C\n" + run.describe());
        assertTrue(run.stdoutText().contains("interrupted"), "the command did not get the interrupt\n" + run.describe());
    }

    /** The command reads httptap's terminal, which its PID namespace and the processes around it leave alone. */
    @Test
    void theCommandReadsALineTypedAtTheTerminal() {
        ProcessRun run = RunningCommand.run(LIMIT, List.of("env", "TERMINAL_KEYS=typed words\n", "python3", "-c",
                TERMINAL_DRIVER, Httptap.launcher().toString(), "--", "sh", "-c", "echo ready; read line; echo \"got $line\""));

        assertEquals("0", run.stdoutText().split("\n", 2)[0].trim(), "httptap's exit code\n" + run.describe());
        assertTrue(run.stdoutText().contains("got typed words"), "the line did not reach the command\n" + run.describe());
    }

    /** With --no-exit, what the command left behind lives until httptap ends, and then ends too. */
    @Test
    void noExitKeepsLeftoversUntilHttptapEnds() {
        String marker = "300." + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
        RunningCommand httptap = Httptap.command("sh", "-c", "sleep " + marker + " & exit 5").flags("--no-exit").start();
        try {
            assertTrue(ProcessTable.awaitCondition(LIMIT,
                    () -> httptap.stderrSoFar().contains("still serving") || !httptap.isAlive()),
                    "httptap did not go on serving after the command");
            assertEquals(1, ProcessTable.withArgument(marker).size(), "the background sleep after the command's exit");

            httptap.terminate();
            ProcessRun run = httptap.awaitExit(LIMIT);

            assertEquals(5, run.exitCode(), run.describe());
            assertTrue(ProcessTable.awaitCondition(LIMIT, () -> ProcessTable.withArgument(marker).isEmpty()),
                    "the background sleep outlived httptap");
        } finally {
            httptap.killTree();
            ProcessTable.withArgument(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void noExitServesWhatTheCommandLeftBehindUntilTerminated(@TempDir Path dir) throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            Path fetched = dir.resolve("fetched");
            Files.createFile(fetched);
            fetched.toFile().setWritable(true, false);
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            // The command exits at once with 4; a background job it started fetches a second later.
            RunningCommand httptap = Httptap.command("sh", "-c",
                    "(sleep 1; curl -s " + url + " > " + fetched + ") & exit 4").flags("--no-exit", "-v").start();
            try {
                assertTrue(ProcessTable.awaitCondition(LIMIT, () -> fetchedSize(fetched) > 0 || !httptap.isAlive()),
                        "the background job's request did not complete");
                // The child may hold the response before httptap's line is out: wait for the line, not the file.
                assertTrue(ProcessTable.awaitCondition(LIMIT,
                        () -> httptap.stdoutSoFar().contains("<--- 200 " + url) || !httptap.isAlive()),
                        "the exchange was not printed while httptap kept serving");
                assertTrue(httptap.isAlive(), "httptap exited although --no-exit was given");

                httptap.terminate();
                ProcessRun run = httptap.awaitExit(LIMIT);
                assertEquals(4, run.exitCode(), "httptap ends with the command's exit code\n" + run.describe());
                assertEquals(LocalHttpServer.HELLO_BODY, Files.readString(fetched));
                assertTrue(run.stdoutLines().contains("---> GET " + url), run.describe());
            } finally {
                httptap.killTree();
            }
        }
    }

    /**
     * A command that sends a megabyte, closes and exits at once, while its kernel still has bytes to send:
     * the server, which starts reading only a moment later, gets them all and then EOF (the command's FIN),
     * not a reset from httptap's exit.
     */
    @Test
    void aCloseJustBeforeExitReachesTheServerAsAFin() throws IOException {
        List<Long> received = new CopyOnWriteArrayList<>();
        try (TcpServerFixture server = TcpServerFixture.start(1, socket -> {
            Thread.sleep(100);
            received.add(socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
        })) {
            ProcessRun run = Httptap.command("python3", "-c", String.join("\n",
                    "import socket, sys",
                    "s = socket.create_connection((sys.argv[1], int(sys.argv[2])))",
                    "s.sendall(bytes(" + LAST_WORDS_BYTES + "))",
                    "s.close()"), Httptap.HOST, String.valueOf(server.port())).run();

            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(ProcessTable.awaitCondition(LIMIT, () -> server.handled() + server.failures().size() > 0),
                    "the server saw no end of the connection");
            assertEquals(List.of(), server.failures(), "how the server's read ended");
            assertEquals(List.of((long) LAST_WORDS_BYTES), received, "bytes the server read before EOF");
        }
    }

    private static long fetchedSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
