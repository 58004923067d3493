package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress policy checks every HTTP/2 request by its :authority, over TLS and in h2c, against node's
 * http2 servers the test starts on 127.0.0.1 (which answer any authority, as a CDN would): a request for a
 * denied host on a connection to an allowed one gets a 403 on its stream, the server never hears of it,
 * and the connection's other streams go on.
 */
class Http2PolicyIT {
    private static final String HOST = Httptap.HOST;

    @TempDir
    static Path dir;
    private static NodeHttp2Servers servers;

    @BeforeAll
    static void startServers() throws IOException {
        servers = NodeHttp2Servers.start(dir);
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        servers.close();
    }

    private static String forbidden(int port) {
        return "httptap: the egress policy blocks fronted.test:" + port + " (no --allow matches)\n";
    }

    private static List<String> blockedLines(ProcessRun run) {
        return run.stdoutLines().stream().filter(line -> line.startsWith("<--- BLOCKED")).toList();
    }

    /** What the command printed, before httptap's summary or audit at the end. */
    private static String commandOutput(ProcessRun run) {
        return run.programStdout().lines().takeWhile(line -> !line.startsWith("HOST ") && !line.startsWith("# httptap --audit"))
                .map(line -> line + "\n").collect(Collectors.joining());
    }

    private static List<String> exchangeLines(ProcessRun run) {
        return ProcessRun.exchangeLines(run.stdoutLines()).stream().filter(line -> !line.startsWith("<--- BLOCKED")).toList();
    }

    /** node's client, one session: a stream for fronted.test, then one asking the server what it was sent. */
    private static Httptap fronted(String origin, int port) {
        return Httptap.command("node", NodeHttp2Server.script(dir, "h2-client.js").toString(), origin, "fronted",
                "fronted.test:" + port);
    }

    /** The server's answer to /seen lists what it was sent (by earlier tests too): never the refused /steal. */
    private static void assertRefusedThenSeen(ProcessRun run, String origin, int port) {
        String output = commandOutput(run);
        String seen = HOST + ":" + port + " /seen\n";
        assertAll(run.describe(),
                () -> assertTrue(output.startsWith("403 " + forbidden(port) + "200 ") && output.endsWith(seen), output),
                () -> assertTrue(!output.contains("/steal"), "the server never saw the refused stream"),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + port + " (no --allow matches; HTTP/2 403 Forbidden)"),
                        blockedLines(run)),
                () -> assertEquals(List.of("---> GET " + origin + "/seen"), exchangeLines(run).subList(0, 1)),
                () -> assertTrue(exchangeLines(run).get(1).startsWith("<--- 200 " + origin + "/seen ("), run::describe));
    }

    /** Over TLS: SNI and connection to the allowed alias, the refused stream's :authority another host. */
    @Test
    void aStreamForADeniedAuthorityGets403AndTheNextStreamOnTheSessionWorks() throws IOException {
        String origin = "https://" + HOST + ":" + servers.tls().port();
        Path records = dir.resolve("fronted.jsonl");
        ProcessRun run = fronted(origin, servers.tls().port())
                .flags("--ca-file", servers.caFile().toString(), "--allow", HOST, "--dump-jsonl", records.toString(), "--fail-on-blocked")
                .run();
        String jsonLines = Files.readString(records, StandardCharsets.UTF_8);

        assertRefusedThenSeen(run, origin, servers.tls().port());
        assertAll(run.describe(),
                () -> assertTrue(jsonLines.contains("\"destination\":\"fronted.test:" + servers.tls().port() + "\",\"protocol\":\"http\","
                        + "\"rule\":\"no --allow matches\",\"refusal\":\"HTTP/2 403 Forbidden\"}"), jsonLines),
                () -> assertEquals(3, run.exitCode(), "--fail-on-blocked"));
    }

    /**
     * node's client lowers its HPACK table to 0 and waits for the server's ACK: its decoder (nghttp2) then
     * fails the connection unless the next header block it reads, the 403 here, opens with a table size
     * update; the server's response after it carries its own.
     */
    @Test
    void aClientThatLoweredItsHeaderTableReadsThe403AndTheNextResponse() {
        String origin = "https://" + HOST + ":" + servers.tls().port();
        ProcessRun run = Httptap.command("node", NodeHttp2Server.script(dir, "h2-client.js").toString(), origin, "fronted",
                "fronted.test:" + servers.tls().port(), "0").flags("--ca-file", servers.caFile().toString(), "--allow", HOST).run();

        assertRefusedThenSeen(run, origin, servers.tls().port());
        assertEquals(0, run.exitCode(), run::describe);
    }

    /** curl sends its Host header as :authority in HTTP/2; --next reuses the connection. */
    @Test
    void curlsHostHeaderOverH2IsCheckedAndTheConnectionStaysUsable() {
        String url = "https://" + HOST + ":" + servers.tls().port() + "/hello";
        String format = " %{http_code} %{http_version} %{num_connects}\\n";
        ProcessRun run = Httptap.command("sh", "-c", "curl -sS --http2 -H 'Host: fronted.test:" + servers.tls().port() + "' -w '"
                        + format + "' " + url + " --next --http2 -w '" + format + "' " + url)
                .flags("--ca-file", servers.caFile().toString(), "--allow", HOST, "--summary").run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(forbidden(servers.tls().port()) + " 403 2 1\nhello over h2 /hello\n 200 2 0\n", commandOutput(run),
                        "the second request went on the first connection"),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + servers.tls().port()
                        + " (no --allow matches; HTTP/2 403 Forbidden)"), blockedLines(run)),
                () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url + " (21 bytes)"), exchangeLines(run)),
                () -> assertTrue(run.stdoutLines().stream().anyMatch(line -> line.matches("fronted\\.test:" + servers.tls().port()
                        + " +0 +0 +0 +0 +0 +0 +1 .*")), "the summary's BLOCKED column"));
    }

    /**
     * h2c with prior knowledge: the same, and the audit counts the connection, which reached the alias.
     * (curl 7.88 fails its own second request on a reused h2c connection, with or without httptap: node here.)
     */
    @Test
    void h2cWithPriorKnowledgeIsCheckedStreamByStream() {
        String origin = "http://" + HOST + ":" + servers.plain().port();
        ProcessRun run = fronted(origin, servers.plain().port()).flags("--allow", HOST, "--audit").run();

        assertRefusedThenSeen(run, origin, servers.plain().port());
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(run.stdoutLines().stream().anyMatch(line -> line.matches("allow " + HOST + ":" + servers.plain().port()
                        + " +# tcp: 1 connection, .*")), "the audit counts the connection"));
    }

    @Test
    void curlWithPriorKnowledgeGets403ForADeniedHost() {
        String url = "http://" + HOST + ":" + servers.plain().port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http2-prior-knowledge", "-H", "Host: fronted.test",
                "-w", " %{http_code} %{http_version}\n", url).flags("--allow", HOST).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(forbidden(servers.plain().port()) + " 403 2\n", commandOutput(run)),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + servers.plain().port()
                        + " (no --allow matches; HTTP/2 403 Forbidden)"), blockedLines(run)),
                () -> assertEquals(List.of(), exchangeLines(run), "nothing reached the server"));
    }

    /** h2c by Upgrade: the request that asks is checked as HTTP/1, the streams after the 101 as HTTP/2. */
    @Test
    void h2cByUpgradeIsCheckedAfterIts101() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(10, new H2cUpgradeServer())) {
            String url = "http://" + HOST + ":" + server.port() + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "curl -sS --http2 -w ' %{num_connects}\\n' " + url
                            + " --next --http2 -H 'Host: fronted.test' -w ' %{num_connects}\\n' " + url)
                    .flags("--allow", HOST).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals(H2cUpgradeServer.body(1) + " 1\n" + forbidden(server.port()) + " 0\n", commandOutput(run)),
                    () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + server.port()
                            + " (no --allow matches; HTTP/2 403 Forbidden)"), blockedLines(run)),
                    () -> assertEquals(List.of(), server.failures()));
        }
    }
}
