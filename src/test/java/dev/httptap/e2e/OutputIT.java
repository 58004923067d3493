package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --head, --body and --print-dns, with real clients through the real ./httptap. */
class OutputIT {
    private LocalHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = LocalHttpServer.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void anExchangeCutShortWhenTheCommandExitsMidDownloadIsPrintedAsIncomplete() {
        String url = Route.TAPPED.baseUrl(server.port()) + "/bytes/100000000";
        // curl is stopped after a second of a download that takes minutes at this rate.
        ProcessRun run = Httptap.command("timeout", "1", "curl", "-s", "--limit-rate", "200k", "-o", "/dev/null", url).run();

        List<String> lines = ProcessRun.exchangeLines(run.stdoutLines());
        assertAll(run.describe(),
                () -> assertEquals(124, run.exitCode(), "timeout's exit code"),
                () -> assertEquals("---> GET " + url, lines.get(0)),
                () -> assertTrue(lines.get(1).matches("<--- 200 " + java.util.regex.Pattern.quote(url)
                        + " \\(\\d+ bytes, incomplete\\)"), lines.get(1)),
                () -> assertEquals(2, lines.size()));
    }

    @Test
    void anExchangeIsPrintedWhileTheCommandStillRuns() {
        String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
        // Output is flushed once per relay loop round, not at exit: the lines appear long before the command ends.
        RunningCommand httptap = Httptap.command("sh", "-c", "curl -s -o /dev/null " + url + "; sleep 60").start();
        try {
            assertTrue(ProcessTable.awaitCondition(Duration.ofSeconds(20),
                    () -> httptap.stdoutSoFar().contains("<--- 200 " + url + " (")),
                    () -> "no response line while the command runs; so far: " + httptap.stdoutSoFar());
        } finally {
            httptap.killTree();
        }
    }

    @Test
    void headPrintsEachHeaderFieldUnderItsLine() {
        String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
        ProcessRun run = Httptap.command("curl", "-s", "-H", "X-Mixed-CASE: some value", url)
                .flags("--stderr", "--head").run();

        List<String> lines = run.stderrLines();
        int request = lines.indexOf("---> GET " + url);
        int response = lines.indexOf("<--- 200 " + url + " (" + LocalHttpServer.HELLO_BODY.length() + " bytes)");
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(LocalHttpServer.HELLO_BODY, run.stdoutText(), "curl's output is unchanged"),
                () -> assertTrue(request >= 0 && response > request, "request and response lines"),
                () -> assertEquals(lines.subList(request + 1, response).indexOf("> Host: " + Httptap.HOST + ":" + server.port()),
                        0, "Host is the first request field, as curl sends it"),
                () -> assertTrue(lines.subList(request + 1, response).contains("> X-Mixed-CASE: some value"),
                        "a custom field keeps its spelling"),
                () -> assertEquals(List.of("< Content-Type: application/octet-stream",
                                "< Content-Length: " + LocalHttpServer.HELLO_BODY.length()),
                        lines.subList(response + 1, response + 3), "response fields in wire order"));
    }

    @Test
    void bodyOfAGzipResponseIsPrintedAsText() throws IOException {
        String url = Route.TAPPED.baseUrl(server.port()) + "/gzip";
        ProcessRun run = Httptap.command("curl", "-s", "--compressed", url).flags("--stderr", "--body").run();

        String responseLine = "<--- 200 " + url + " (" + LocalHttpServer.GZIP_TEXT.length() + " bytes)";
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(LocalHttpServer.GZIP_TEXT, run.stdoutText(), "curl decodes it as usual"),
                () -> assertTrue(run.stderrText().contains(responseLine + "\n" + LocalHttpServer.GZIP_TEXT),
                        "the decoded text follows the response line, which counts the decoded bytes, as the original does"));
    }

    @Test
    void bodyPastTheLimitIsCut() {
        String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
        ProcessRun run = Httptap.command("curl", "-s", url).flags("--stderr", "--body", "--max-body-print", "5").run();

        String hidden = "... (" + (LocalHttpServer.HELLO_BODY.length() - 5) + " more bytes)";
        assertTrue(run.stderrText().contains(" bytes)\n" + LocalHttpServer.HELLO_BODY.substring(0, 5) + "\n" + hidden + "\n"),
                run.describe());
    }

    @Test
    void printDnsShowsTheHostAliasLookup() {
        String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
        ProcessRun run = Httptap.command("curl", "-s", url).flags("--stderr", "--print-dns").run();

        List<String> lines = run.stderrLines();
        int query = lines.indexOf("---> DNS " + Httptap.HOST + " (A)");
        int answer = lines.indexOf("<--- DNS " + Httptap.HOST + " (A): A " + Httptap.HOST_ADDRESS);
        int request = lines.indexOf("---> GET " + url);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(LocalHttpServer.HELLO_BODY, run.stdoutText(), "curl's output is unchanged"),
                () -> assertTrue(query >= 0 && answer > query, "the query, then its answer"),
                () -> assertTrue(request > answer, "the lookup comes before the request"));
    }

    @Test
    void printDnsShowsQueriesOverTcp(@TempDir Path dir) throws IOException {
        // The relay dials DNS over TCP to the host's resolver: here a test resolver on 127.0.53.x answering
        // NXDOMAIN to everything, named in a resolv.conf mounted for httptap alone, so nothing leaves the host.
        try (NxdomainResolver resolver = NxdomainResolver.start()) {
            Path resolvConf = dir.resolve("resolv.conf");
            Files.writeString(resolvConf, "nameserver " + resolver.address().getHostAddress() + "\n");
            String client = """
                    import socket, struct
                    query = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
                    query += b"\\x06nosuch\\x07invalid\\x00" + struct.pack(">HH", 1, 1)
                    t = socket.create_connection(("10.1.1.1", 53), timeout=10)
                    t.sendall(struct.pack(">H", len(query)) + query)
                    f = t.makefile("rb")
                    answer = f.read(struct.unpack(">H", f.read(2))[0])
                    print("rcode", answer[3] & 15)
                    """;
            ProcessRun run = Httptap.command("python3", "-c", client).flags("--stderr", "--print-dns")
                    .wrappedIn("unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"",
                            resolvConf.toString())
                    .run();

            List<String> lines = run.stderrLines();
            int query = lines.indexOf("---> DNS nosuch.invalid (A)");
            int answer = lines.indexOf("<--- DNS nosuch.invalid (A): NXDOMAIN");
            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals("rcode 3\n", run.stdoutText(), "the resolver's NXDOMAIN, unchanged"),
                    () -> assertTrue(query >= 0 && answer > query, "the query, then its answer"));
        }
    }

    /**
     * A request the server holds: its line is printed while it hangs (the server answers only once the test
     * has seen it), and the response line follows on its own when it ends.
     */
    @Test
    void aRequestThatHangsIsPrintedWhileItHangs() throws IOException, InterruptedException {
        CountDownLatch seen = new CountDownLatch(1);
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            socket.getInputStream().read(new byte[4096]);
            if (seen.await(30, TimeUnit.SECONDS)) {
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nlate\n"
                        .getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/held";
            RunningCommand httptap = Httptap.command("curl", "-s", url).start();
            httptap.awaitStdout("---> GET " + url + "\n", Duration.ofSeconds(20));
            seen.countDown();
            ProcessRun run = httptap.awaitExit(Duration.ofSeconds(20));

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals("late\n", run.programStdout()),
                    () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url + " (5 bytes)"),
                            ProcessRun.exchangeLines(run.stdoutLines()), "the request line once, then the response's"));
        }
    }
}
