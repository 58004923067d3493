package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 end to end, against node's http2 servers the test starts on 127.0.0.1: over TLS (ALPN h2, through
 * httptap's interception, the test CA passed with {@code --ca-file}) and in clear with prior knowledge
 * (h2c). Each stream prints as an ordinary exchange line.
 */
class Http2IT {
    @TempDir
    static Path dir;
    private static NodeHttp2Servers servers;
    private static Path caFile;
    private static String https;
    private static String h2c;

    @BeforeAll
    static void startServers() throws IOException {
        servers = NodeHttp2Servers.start(dir);
        caFile = servers.caFile();
        https = "https://" + Httptap.HOST + ":" + servers.tls().port();
        h2c = "http://" + Httptap.HOST + ":" + servers.plain().port();
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        servers.close();
    }

    @Test
    void curlOverTlsNegotiatesH2AndItsExchangeIsPrinted() {
        String url = https + "/hello";
        ProcessRun run = tapped("curl", "-sS", "--http2", "-w", "%{http_version}\n", url);
        assertClientRun(Route.TAPPED, run, "hello over h2 /hello\n2\n",
                Exchange.withBody("GET", url, 200, "hello over h2 /hello\n"));
    }

    @Test
    void curlPostOverH2CountsTheBody() {
        String url = https + "/upload";
        ProcessRun run = tapped("curl", "-sS", "--http2", "--data-binary", "twelve bytes", url);
        assertClientRun(Route.TAPPED, run, "received 12\n", Exchange.withBody("POST", url, 200, "received 12\n"));
    }

    @Test
    void curlWithPriorKnowledgeSpeaksH2cAndItsExchangeIsPrinted() {
        String url = h2c + "/hello";
        ProcessRun run = tapped("curl", "-sS", "--http2-prior-knowledge", url);
        assertClientRun(Route.TAPPED, run, "hello over h2 /hello\n",
                Exchange.withBody("GET", url, 200, "hello over h2 /hello\n"));
    }

    @Test
    void aHundredStreamsInParallelOnOneConnectionAreAllPrinted() {
        for (String origin : List.of(h2c, https)) {
            ProcessRun run = tapped("node", client(), origin, "parallel", "100");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String body = "hello over h2 /n/" + i + "\n";
                expected.addAll(Exchange.withBody("GET", origin + "/n/" + i, 200, body).lines());
            }
            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals("100 responses\n", run.programStdout()),
                    () -> assertEquals(sorted(expected), sorted(ProcessRun.exchangeLines(run.stdoutLines()))),
                    () -> assertEquals("", run.stderrText()));
        }
    }

    /** More streams at once than httptap follows in full (1,024): those beyond are followed lean, printed too. */
    @Test
    void fiveThousandStreamsInParallelOnOneConnectionAreAllPrinted() {
        ProcessRun run = tapped("node", client(), h2c, "parallel", "5000");
        List<String> lines = ProcessRun.exchangeLines(run.stdoutLines());
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("5000 responses\n", run.programStdout()),
                () -> assertEquals(5000, lines.stream().filter(line -> line.startsWith("---> GET " + h2c + "/n/")).count()),
                () -> assertEquals(5000, lines.stream().filter(line -> line.startsWith("<--- 200 " + h2c + "/n/")).count()),
                () -> assertEquals(List.of("more than 1024 streams open at once: those beyond are reported without their"
                        + " header fields"), lines.stream().filter(line -> line.startsWith("<--- ERROR"))
                        .map(line -> line.substring(line.indexOf(": ") + 2)).toList()));
    }

    @Test
    void aGrpcLikeExchangeWithTrailersIsPrintedWithItsStatus() {
        String url = https + "/grpc";
        ProcessRun run = tapped("node", client(), https, "grpc");
        assertClientRun(Route.TAPPED, run, "grpc-status 0\n", new Exchange("GET", url, 200, 7));
    }

    @Test
    void aPushedResponseIsPrintedToo() {
        ProcessRun run = tapped("node", client(), https, "push");
        List<String> lines = ProcessRun.exchangeLines(run.stdoutLines());
        List<String> expected = new ArrayList<>(Exchange.withBody("GET", https + "/push", 200, "hello over h2 /push\n").lines());
        expected.addAll(new Exchange("GET", https + "/pushed.css", 200, 3).lines());
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("hello over h2 /push\n/pushed.css p{}\n", run.programStdout()),
                () -> assertEquals(sorted(expected), sorted(lines)),
                () -> assertTrue(lines.indexOf("---> GET " + https + "/pushed.css")
                        < lines.indexOf("<--- 200 " + https + "/pushed.css (3 bytes)")));
    }

    @Test
    void anH2OnlyClientTakingAnyCertificateGetsItsBadGatewayInHttp2() {
        String url = https + "/hello";
        // The test CA is unknown to httptap; the client checks no certificate, so it goes on to ask.
        ProcessRun run = Httptap.command("env", "NODE_TLS_REJECT_UNAUTHORIZED=0", "node", client(), https, "show", "/hello").run();
        String server = https.substring("https://".length());
        String reason = "cannot verify the TLS connection: its certificate is not signed by a trusted CA"
                + " (use --ca-file for a private CA)";
        String body = "httptap: cannot verify the TLS connection to " + server + ": its certificate is not signed"
                + " by a trusted CA (use --ca-file for a private CA)\n";
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("502\n" + body, run.programStdout()),
                () -> assertEquals(List.of("<--- ERROR " + server + ": " + reason, "---> GET " + url,
                        "<--- 502 " + url + " (" + body.length() + " bytes)"), ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertTrue(run.stderrLines().stream().noneMatch(line -> line.startsWith("httptap")), "no error of httptap's"));
    }

    @Test
    void anH2OnlyClientReachesAnUnverifiableServerWithInsecure() {
        String url = https + "/hello";
        ProcessRun run = Httptap.command("node", client(), https, "show", "/hello").flags("--insecure").run();
        assertClientRun(Route.TAPPED, run, "200\nhello over h2 /hello\n",
                Exchange.withBody("GET", url, 200, "hello over h2 /hello\n"));
    }

    @Test
    void headShowsThePseudoHeaderFieldsFirst() {
        String url = https + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http2", url)
                .flags("--ca-file", caFile.toString(), "--head").run();
        List<String> lines = run.stdoutLines();
        int request = lines.indexOf("---> GET " + url);
        int response = lines.indexOf("<--- 200 " + url + " (21 bytes)");
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(request >= 0 && response > request, "exchange lines"),
                () -> assertEquals(List.of("> :method: GET", "> :scheme: https",
                        "> :authority: " + https.substring("https://".length()), "> :path: /hello"),
                        lines.subList(request + 1, request + 5)),
                () -> assertEquals("< :status: 200", lines.get(response + 1)));
    }

    @Test
    void harRecordsTheHttpVersion() throws IOException {
        Path har = dir.resolve("h2.har");
        ProcessRun run = Httptap.command("curl", "-sS", "--http2", https + "/hello")
                .flags("--ca-file", caFile.toString(), "--dump-har", har.toString()).run();
        String recorded = java.nio.file.Files.readString(har);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(recorded.contains("\"httpVersion\" : \"HTTP/2\"")
                        || recorded.contains("\"httpVersion\":\"HTTP/2\""), recorded),
                () -> assertTrue(recorded.replace(" ", "").contains("\"name\":\":status\""), recorded));
    }

    private static String client() {
        return NodeHttp2Server.script(dir, "h2-client.js").toString();
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    private static ProcessRun tapped(String... command) {
        return Httptap.command(command).flags("--ca-file", caFile.toString()).run();
    }
}
