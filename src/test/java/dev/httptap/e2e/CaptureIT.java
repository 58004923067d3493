package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --dump-pcap} and {@code --keylog}: tshark, given nothing but the capture, reads the exchanges
 * httptap printed, in clear for HTTPS too (TLS 1.3 and 1.2, HTTP/1.1 and HTTP/2: the secrets travel inside
 * the file), and DNS; a capture cut by SIGINT, SIGTERM or {@code --pcap-max-size} still reads. A client
 * refusing httptap's CA is told as without a capture.
 */
class CaptureIT {
    private static final Pattern EXCHANGE = Pattern.compile("<--- (\\d{3}) (\\S+) \\(");
    private static final Set<String> TLS13_LABELS = Set.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET");

    /**
     * GETs argv[3:] from host argv[1], port argv[2], over TLS 1.2, a connection each, each resuming the session of
     * the one before; prints whether each resumed.
     */
    private static final String RESUMING_TLS12_CLIENT = """
            import socket, ssl, sys
            host, port = sys.argv[1], int(sys.argv[2])
            context = ssl.create_default_context()
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            session, reused = None, []
            for path in sys.argv[3:]:
                with context.wrap_socket(socket.create_connection((host, port)), server_hostname=host, session=session) as tls:
                    tls.sendall(f"GET {path} HTTP/1.1\\r\\nHost: {host}:{port}\\r\\nConnection: close\\r\\n\\r\\n".encode())
                    while tls.recv(65536):
                        pass
                    reused.append(f"{tls.session_reused}\\n")
                    session = tls.session
            # one write: httptap prints its lines on the same stdout, and a line split by them would not compare
            sys.stdout.write("".join(reused))
            """;

    @TempDir
    static Path dir;
    private static Path caFile;
    private static LocalHttpServer http;
    private static LocalHttpServer https;
    private static NodeHttp2Server h2;

    @BeforeAll
    static void startServers() throws IOException {
        TestPki pki = TestPki.create();
        caFile = pki.writeCaPem(dir);
        http = LocalHttpServer.start();
        https = LocalHttpServer.startTls(pki.serverContext());
        h2 = NodeHttp2Server.startTls(dir, pki.writeServerPem(dir));
    }

    @AfterAll
    static void stopServers() throws Exception {
        http.close();
        https.close();
        h2.close();
    }

    @Test
    void plainHttpAndDnsReadAsHttptapPrintedThem() throws IOException {
        Path capture = dir.resolve("plain.pcapng");
        String url = "http://" + Httptap.HOST + ":" + http.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", url, url.replace("/hello", "/gzip"))
                .flags("--print-dns", "--dump-pcap", capture.toString()).run();

        List<String> printedDns = run.stdoutLines().stream().filter(line -> line.startsWith("<--- DNS ")).toList();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(capture))),
                () -> assertEquals(printedExchanges(run), tsharkExchanges(capture, "http", "http.request.uri",
                        "http.response.code")),
                () -> assertTrue(printedDns.contains("<--- DNS host.httptap.local (A): A " + Httptap.HOST_ADDRESS),
                        "printed: " + printedDns),
                () -> assertEquals(List.of(Httptap.HOST + "\t" + Httptap.HOST_ADDRESS),
                        Tshark.fields(capture, "dns.flags.response == 1 && dns.a", "dns.qry.name", "dns.a")));
    }

    @Test
    void httpsOverHttp1IsDecryptedWithTheSecretsInside() throws IOException {
        Path capture = dir.resolve("https.pcapng");
        Path keyLog = dir.resolve("https.keys");
        String url = "https://" + Httptap.HOST + ":" + https.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http1.1", url, url.replace("/hello", "/nothing-here"))
                .flags("--ca-file", caFile.toString(), "--dump-pcap", capture.toString(), "--keylog", keyLog.toString())
                .run();

        List<String> keys = Files.readAllLines(keyLog);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(List.of("200 /hello", "404 /nothing-here"), printedExchanges(run)),
                () -> assertEquals(printedExchanges(run), tsharkExchanges(capture, "http", "http.request.uri",
                        "http.response.code")),
                () -> assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyLog))),
                () -> assertEquals(TLS13_LABELS, keys.stream().map(line -> line.split(" ")[0]).collect(Collectors.toSet()),
                        "one TLS 1.3 connection's lines: " + keys),
                () -> assertTrue(keys.stream().allMatch(line -> line.matches("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}")),
                        "NSS key log lines: " + keys));
    }

    /** TLS 1.2's master secret is known only once the client's last flight is read, yet goes ahead of it. */
    @Test
    void httpsOverTls12IsDecryptedWithTheSecretsInside() throws IOException {
        Path capture = dir.resolve("tls12.pcapng");
        Path keyLog = dir.resolve("tls12.keys");
        String url = "https://" + Httptap.HOST + ":" + https.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http1.1", "--tlsv1.2", "--tls-max", "1.2", url)
                .flags("--ca-file", caFile.toString(), "--dump-pcap", capture.toString(), "--keylog", keyLog.toString())
                .run();

        List<String> keys = Files.readAllLines(keyLog);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(List.of("200 /hello"), printedExchanges(run)),
                () -> assertEquals(printedExchanges(run), tsharkExchanges(capture, "http", "http.request.uri",
                        "http.response.code")),
                () -> assertEquals(List.of("TLSv1.2"), Tshark.fields(capture, "tls.handshake.type == 2",
                        "tls.handshake.version").stream().map(version -> version.equals("0x0303") ? "TLSv1.2" : version)
                        .toList()),
                () -> assertEquals(1, keys.size(), "one line: " + keys),
                () -> assertTrue(keys.get(0).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}"), keys.get(0)));
    }

    /**
     * A TLS 1.2 client resuming its session on a second connection: the abbreviated handshake derives no master
     * secret, yet the key log has a line for each connection's random, and both read in clear.
     */
    @Test
    void aResumedTls12SessionIsLoggedUnderItsOwnRandom() throws IOException {
        Path capture = dir.resolve("resumed.pcapng");
        Path keyLog = dir.resolve("resumed.keys");
        ProcessRun run = Httptap.command("python3", "-c", RESUMING_TLS12_CLIENT, Httptap.HOST,
                        Integer.toString(https.port()), "/hello", "/nothing-here")
                .flags("--ca-file", caFile.toString(), "--dump-pcap", capture.toString(), "--keylog", keyLog.toString())
                .run();

        List<String> keyedRandoms = Files.readAllLines(keyLog).stream().map(line -> line.split(" ")[1]).toList();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("False\nTrue\n", run.programStdout(), "the second connection resumed"),
                () -> assertEquals(Tshark.fields(capture, "tls.handshake.type == 1", "tls.handshake.random"), keyedRandoms,
                        "a CLIENT_RANDOM line for each ClientHello"),
                () -> assertEquals(List.of("200 /hello", "404 /nothing-here"), tsharkExchanges(capture, "http",
                        "http.request.uri", "http.response.code")));
    }

    @Test
    void httpsOverHttp2IsDecryptedWithTheSecretsInside() {
        Path capture = dir.resolve("h2.pcapng");
        String url = "https://" + Httptap.HOST + ":" + h2.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http2", url)
                .flags("--ca-file", caFile.toString(), "--dump-pcap", capture.toString()).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(List.of("200 /hello"), printedExchanges(run)),
                () -> assertEquals(List.of("/hello"), Tshark.fields(capture, "http2.headers.path", "http2.headers.path")),
                () -> assertEquals(List.of("200"), Tshark.fields(capture, "http2.headers.status", "http2.headers.status")));
    }

    /**
     * A JVM trusting the server's CA only refuses httptap's leaf with an alert, which Bouncy Castle's TLS (the
     * child's side of a capture run) words its own way: still a refusal, reported once and then passed through.
     */
    @Test
    void aClientRefusingHttptapsCaIsReportedAndThenPassedThroughAsWithoutACapture() throws Exception {
        String url = "https://" + Httptap.HOST + ":" + https.port() + "/hello";
        ProcessRun run = OwnTrustJvm.command(dir, caFile, OwnTrustJvm.ALERTING, url, LocalHttpServer.HELLO_BODY)
                .flags("--ca-file", caFile.toString(), "--keylog", dir.resolve("refused.keys").toString()).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(run.programStdout().startsWith("refused\n"), "the first connection refused the CA"),
                () -> assertTrue(run.programStdout().endsWith("\n" + LocalHttpServer.HELLO_BODY), "the last one passed through"),
                () -> assertEquals(List.of("<--- PASSTHROUGH " + Httptap.HOST + ":" + https.port()
                        + ": the client does not trust httptap's CA"), ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertEquals("", run.stderrText()));
    }

    /** Ctrl-C (SIGINT, as from a terminal's kill) or SIGTERM ends the command, and the capture still reads. */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aCaptureCutByASignalStillReads(String signal) {
        Path capture = dir.resolve("cut-" + signal + ".pcapng");
        String url = "http://" + Httptap.HOST + ":" + http.port() + "/hello";
        RunningCommand httptap = Httptap.command("sh", "-c", "curl -sS " + url + " && exec sleep 30")
                .flags("--dump-pcap", capture.toString()).start();
        httptap.awaitStdout("<--- 200 " + url, Duration.ofSeconds(30));
        ProcessRun kill = RunningCommand.run(Duration.ofSeconds(10), List.of("kill", "-" + signal, Long.toString(httptap.pid())));
        ProcessRun run = httptap.awaitExit(Duration.ofSeconds(20));

        assertAll(run.describe(),
                () -> assertEquals(0, kill.exitCode()),
                () -> assertEquals(128 + (signal.equals("INT") ? 2 : 15), run.exitCode(), "sleep ended by SIG" + signal),
                () -> assertEquals(List.of("200 /hello"), tsharkExchanges(capture, "http", "http.request.uri",
                        "http.response.code")));
    }

    @Test
    void aCaptureOnStandardOutputStreamsToTshark() throws IOException {
        String url = "http://" + Httptap.HOST + ":" + http.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "-o", "/dev/null", url).flags("--dump-pcap", "-").run();
        Path capture = Files.write(dir.resolve("stdout.pcapng"), run.stdout());

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(run.stderrText().contains("<--- 200 " + url), "httptap's lines go to stderr"),
                () -> assertEquals(List.of("200 /hello"), tsharkExchanges(capture, "http", "http.request.uri",
                        "http.response.code")));
    }

    @Test
    void maxSizeStopsTheCaptureWithANote() throws IOException {
        Path capture = dir.resolve("small.pcapng");
        String url = "http://" + Httptap.HOST + ":" + http.port() + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", url).flags("--dump-pcap", capture.toString(),
                "--pcap-max-size", "1000").run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(Files.size(capture) <= 1000, "size " + Files.size(capture)),
                () -> assertEquals(1, run.stderrLines().stream().filter(line -> line.startsWith(
                        "httptap: --pcap-max-size 1000 reached")).count(), "one note"),
                () -> assertTrue(Tshark.fields(capture, "frame", "frame.number").size() > 0, "the packets before the cut"));
    }

    /** "STATUS PATH" of each exchange httptap printed, in order. */
    private static List<String> printedExchanges(ProcessRun run) {
        return (run.stdoutLines().isEmpty() ? run.stderrLines() : run.stdoutLines()).stream()
                .map(EXCHANGE::matcher).filter(Matcher::find)
                .map(found -> found.group(1) + " " + found.group(2).replaceFirst("^https?://[^/]+", ""))
                .toList();
    }

    /** "STATUS PATH" of each request and its response as tshark reads them, in order. */
    private static List<String> tsharkExchanges(Path capture, String filter, String uriField, String statusField) {
        List<String> lines = Tshark.fields(capture, filter, uriField, statusField);
        List<String> uris = lines.stream().map(line -> line.split("\t", -1)[0]).filter(uri -> !uri.isEmpty()).toList();
        List<String> statuses = lines.stream().map(line -> line.split("\t", -1)[1]).filter(code -> !code.isEmpty()).toList();
        assertEquals(uris.size(), statuses.size(), () -> "a response per request: " + lines);
        return java.util.stream.IntStream.range(0, uris.size()).mapToObj(i -> statuses.get(i) + " " + uris.get(i)).toList();
    }
}
