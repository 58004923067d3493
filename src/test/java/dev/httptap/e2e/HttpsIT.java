package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS interception end to end: a local HTTPS server with the test's own CA (passed to httptap with
 * {@code --ca-file}), on an ephemeral port (so never 443: TLS is found by sniffing), and ordinary clients
 * run with no extra flag, trusting the run's CA through the files and variables httptap sets up. Also the
 * clients whose habits need care (issue 12): a JVM with a trust store of its own, which refuses httptap's CA,
 * with and without --passthrough; a Host field without the port the connection used (as wget2 sends it);
 * node's http2, which writes the default port out in :authority; IPv6 literals.
 */
class HttpsIT {
    private static final String HELLO = LocalHttpServer.HELLO_BODY;
    private static final TestPki PKI = TestPki.create();
    /** host.httptap.local's IPv6 alias, written out in full as a user might type it. */
    private static final String HOST_V6_IN_FULL = "fd77:6874:7470:0:0:0:a9fe:4d41";
    private static final String HOST_V6 = "[fd77:6874:7470::a9fe:4d41]";
    @TempDir
    Path dir;
    private Path caFile;
    private LocalHttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = LocalHttpServer.startTls(PKI.serverContext());
        caFile = PKI.writeCaPem(dir);
        base = "https://" + Httptap.HOST + ":" + server.port();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void curl() {
        String url = base + "/hello?client=curl";
        ProcessRun run = tapped("curl", "-sS", url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void curlKeepsTheConnectionAliveForSeveralRequests() {
        String first = base + "/hello?n=1";
        String second = base + "/hello?n=2";
        ProcessRun run = tapped("curl", "-sS", first, second);
        assertClientRun(Route.TAPPED, run, HELLO + HELLO,
                Exchange.withBody("GET", first, 200, HELLO), Exchange.withBody("GET", second, 200, HELLO));
        assertEquals(1, server.connectionsAccepted(), "one TLS connection for both requests");
    }

    @Test
    void curlPostIsEchoed() {
        String url = base + "/echo";
        String body = "posted over TLS\n";
        ProcessRun run = tapped("curl", "-sS", "--data-binary", body, url);
        assertClientRun(Route.TAPPED, run, body, Exchange.withBody("POST", url, 200, body));
    }

    /**
     * As root with --user and --no-overlay, nothing is mounted: the child opens the CA bundle by the path in
     * SSL_CERT_FILE, as that user. (--resolve: without the overlay the child asks the machine's own DNS.)
     */
    @Test
    void curlAsAnotherUserWithoutTheOverlay() {
        String url = base + "/hello?client=curl-as-user";
        ProcessRun run = Httptap.command("curl", "-sS", "--resolve",
                        Httptap.HOST + ":" + server.port() + ":" + Httptap.HOST_ADDRESS, url)
                .flags("--ca-file", caFile.toString(), "--user", E2eSettings.unprivilegedUser(), "--no-overlay")
                .run();
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    /**
     * A client offering only RSA-authenticated suites (TLS 1.2) gets a leaf with an RSA key; an ECDSA one, the
     * usual, left it without a shared cipher, where it works with any server whose certificate is RSA.
     */
    @Test
    void curlOfferingOnlyRsaSuites() {
        String url = base + "/hello?client=curl-rsa";
        ProcessRun run = tapped("curl", "-sS", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA",
                "-w", "%{ssl_verify_result}", url);
        assertClientRun(Route.TAPPED, run, HELLO + "0", Exchange.withBody("GET", url, 200, HELLO));
    }

    /**
     * A client offering only suites httptap's TLS lacks (BoringSSL has no DHE, which this test's server has)
     * passes through, with a line saying why, and talks to the server itself: it fails no handshake it would
     * not fail without httptap.
     */
    @Test
    void aClientOfferingOnlySuitesHttptapLacksPassesThrough() {
        String url = base + "/hello?client=curl-dhe";
        ProcessRun run = tapped("curl", "-sS", "--cacert", caFile.toString(), "--tls-max", "1.2",
                "--ciphers", "DHE-RSA-AES128-GCM-SHA256", url);

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(HELLO, run.programStdout(), "the body"),
                () -> assertTrue(run.stdoutText().contains("<--- PASSTHROUGH " + Httptap.HOST + ":" + server.port()
                        + " (the client offers only cipher suites httptap's TLS lacks)"), "the line"));
    }

    /**
     * A handshake failing on httptap's side (the client takes only Ed25519 signatures) ends as a server ends
     * it, with its alert and a FIN: the client reports the TLS failure, not a reset connection.
     */
    @Test
    void aHandshakeFailingOnHttptapsSideEndsWithItsAlert() {
        ProcessRun run = tapped("sh", "-c", "openssl s_client -connect \"$1\" -servername \"$2\" -sigalgs ed25519 "
                + "</dev/null 2>&1; echo \"exit $?\"", "sh", Httptap.HOST + ":" + server.port(), Httptap.HOST);

        assertAll(run.describe(),
                () -> assertTrue(run.stdoutText().contains("alert handshake failure"), "openssl's report"),
                () -> assertTrue(run.stdoutText().contains("exit 1"), "its exit code"));
    }

    /**
     * httptap offers the server the child's TLS versions only: a child offering nothing newer than TLS 1.1
     * is refused by this server (the JDK's, TLS 1.2 and 1.3), as it is without httptap, instead of being
     * served by httptap's own choice.
     */
    @Test
    void aClientOfferingOnlyOldTlsVersionsIsRefusedAsByTheServer() {
        String[] curl = {"curl", "-sS", "--tlsv1.0", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0"};
        ProcessRun direct = Route.DIRECT.run(withArguments(curl, "--cacert", caFile.toString(),
                "https://127.0.0.1:" + server.port() + "/hello"));
        ProcessRun run = tapped(withArguments(curl, base + "/hello"));

        assertAll(direct.describe() + "\n" + run.describe(),
                () -> assertEquals(35, direct.exitCode(), "directly"),
                () -> assertEquals(35, run.exitCode(), "through httptap"),
                () -> assertEquals("", run.programStdout(), "no body"));
    }

    private static String[] withArguments(String[] command, String... more) {
        String[] all = Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }

    @Test
    void wget() {
        String url = base + "/hello?client=wget";
        ProcessRun run = tapped("wget", "-qO-", url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void pythonUrllib() {
        String url = base + "/hello?client=python";
        ProcessRun run = tapped("python3", "-c",
                "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())", url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void nodeHttpsGet() {
        String url = base + "/hello?client=node";
        ProcessRun run = tapped("node", "-e",
                "require('https').get(process.argv[1], r => r.pipe(process.stdout)).on('error', e => { console.error(e.message); process.exit(1); })",
                url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void pythonRequests() {
        String url = base + "/hello?client=requests";
        ProcessRun run = tapped("python3", "-c",
                "import sys, requests; sys.stdout.write(requests.get(sys.argv[1]).text)", url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void nodeFetch() {
        String url = base + "/hello?client=node-fetch";
        ProcessRun run = tapped("node", "-e",
                "fetch(process.argv[1]).then(r => r.text()).then(t => process.stdout.write(t))"
                        + ".catch(e => { console.error(e.cause || e); process.exit(1); })",
                url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void javaHttpClient() throws IOException {
        Path source = dir.resolve("Get.java");
        Files.writeString(source, """
                import java.net.URI;
                import java.net.http.HttpClient;
                import java.net.http.HttpRequest;
                import java.net.http.HttpResponse;

                public class Get {
                    public static void main(String[] args) throws Exception {
                        HttpResponse<String> response = HttpClient.newHttpClient().send(
                                HttpRequest.newBuilder(URI.create(args[0])).build(), HttpResponse.BodyHandlers.ofString());
                        System.out.print(response.body());
                    }
                }
                """);
        String url = base + "/hello?client=java";
        ProcessRun run = tapped("java", source.toString(), url);
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    /**
     * The server's CA is not given to httptap: the command is shown a certificate from an issuer nobody
     * trusts and fails its own check, as curl does directly against a server whose CA it does not have.
     */
    @Test
    void anUnverifiableServerFailsTheCommandsCheckAsItWouldDirectly() {
        ProcessRun direct = Route.DIRECT.run("curl", "-sS", "https://127.0.0.1:" + server.port() + "/hello");
        ProcessRun run = Httptap.command("curl", "-sS", base + "/hello").run();

        assertEquals(60, direct.exitCode(), direct::describe);
        assertAll(run.describe(),
                () -> assertEquals(60, run.exitCode(), "curl's 'peer certificate cannot be authenticated'"),
                () -> assertEquals(direct.stderrLines().get(0), run.stderrLines().get(0), "curl's reason"),
                () -> assertEquals("", run.programStdout()),
                () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST + ":" + server.port()
                                + ": cannot verify the TLS connection: its certificate is not signed by a trusted CA (use --ca-file for a private CA)"),
                        ProcessRun.exchangeLines(run.stdoutLines()), "the error line and no exchange"));
    }

    /** The server's certificate names host.httptap.local only; the command asks for another name. */
    @Test
    void aServerCertificateForAnotherNameFailsTheCommandsCheckAsItWouldDirectly() {
        String name = "other.httptap.test";
        String url = "https://" + name + ":" + server.port() + "/hello";
        ProcessRun direct = Route.DIRECT.run("curl", "-sS", "--cacert", caFile.toString(),
                "--resolve", name + ":" + server.port() + ":127.0.0.1", url);
        ProcessRun run = tapped("curl", "-sS", "--resolve", name + ":" + server.port() + ":" + Httptap.HOST_ADDRESS, url);

        assertEquals(60, direct.exitCode(), direct::describe);
        assertAll(run.describe(),
                () -> assertEquals(60, run.exitCode()),
                () -> assertEquals(direct.stderrLines().get(0), run.stderrLines().get(0), "curl's reason"),
                () -> assertEquals("", run.programStdout()),
                () -> assertEquals(1, ProcessRun.exchangeLines(run.stdoutLines()).size(), "one error line"),
                () -> assertTrue(run.stdoutLines().get(0).startsWith("<--- ERROR " + name + ":" + server.port()
                        + ": cannot verify the TLS connection: No subject alternative DNS name matching " + name)));
    }

    /** A command that checks no certificate (curl -k) cannot get the real server's answer: a 502 says why. */
    @Test
    void aCommandTakingAnyCertificateGetsA502FromAnUnverifiableServer() {
        String url = base + "/hello";
        ProcessRun run = Httptap.command("curl", "-sSk", url).run();
        String reason = "cannot verify the TLS connection to " + Httptap.HOST + ":" + server.port();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(run.programStdout().startsWith("httptap: " + reason + ": "), "the 502 body says why"),
                () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST + ":" + server.port()
                                + ": cannot verify the TLS connection: its certificate is not signed by a trusted CA (use --ca-file for a private CA)",
                        "---> GET " + url, "<--- 502 " + url + " (" + run.programStdout().length() + " bytes)"),
                        ProcessRun.exchangeLines(run.stdoutLines()), "the error line, with the exchange lines"),
                () -> assertEquals(List.of(), run.stderrLines()));
    }

    /** A "server" that reads the ClientHello and hangs up: curl sees the same TLS connect error either way. */
    @Test
    void aServerHangingUpMidHandshakeEndsTheCommandsHandshakeAsItWouldDirectly() throws IOException {
        try (TcpServerFixture hangingUp = TcpServerFixture.start(50, socket -> socket.getInputStream().read(new byte[512]))) {
            ProcessRun direct = Route.DIRECT.run("curl", "-sS", "https://127.0.0.1:" + hangingUp.port() + "/");
            ProcessRun run = Httptap.command("curl", "-sS", "https://" + Httptap.HOST + ":" + hangingUp.port() + "/").run();

            assertEquals(35, direct.exitCode(), direct::describe);
            assertAll(run.describe(),
                    () -> assertEquals(35, run.exitCode(), "curl's 'SSL connect error'"),
                    () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST + ":" + hangingUp.port()
                            + ": the TLS handshake failed: the server closed the connection"),
                            ProcessRun.exchangeLines(run.stdoutLines())));
        }
    }

    @Test
    void insecureTalksToAnUnverifiableServer() {
        String url = base + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", url).flags("--insecure").run();
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @Test
    void aClientPinningItsOwnCaIsReportedAndThenPassedThrough() {
        String url = base + "/hello";
        String curl = "curl -sS --cacert " + caFile + " " + url;
        ProcessRun run = tapped("sh", "-c", curl + "; echo \"exit $?\"; " + curl);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("exit 60\n" + HELLO, run.programStdout(), "refused once, then untouched"),
                () -> assertEquals(List.of("<--- PASSTHROUGH " + Httptap.HOST + ":" + server.port()
                        + ": the client does not trust httptap's CA"), ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertTrue(run.stderrText().startsWith("curl: (60) SSL certificate problem"), "curl's own words"),
                () -> assertFalse(run.stderrText().contains("httptap"), "nothing of httptap's on stderr"));
    }

    @Test
    void aLargeDownloadArrivesIntact() {
        long size = E2eSettings.largeTransferBytes();
        String url = base + "/bytes/" + size;
        ProcessRun run = Httptap.command("sh", "-c", "curl -sS " + url + " | sha256sum")
                .flags("--ca-file", caFile.toString()).timeout(E2eSettings.largeTransferTimeout()).run();
        assertClientRun(Route.TAPPED, run, DeterministicContent.sha256Hex(size) + "  -\n",
                new Exchange("GET", url, 200, size));
    }

    @Test
    void aLargeUploadArrivesIntact() {
        long size = E2eSettings.largeTransferBytes();
        String url = base + "/upload";
        String upload = DeterministicContent.shellGenerator(size) + " | curl -sS -T - " + url;
        ProcessRun run = Httptap.command("sh", "-c", upload)
                .flags("--ca-file", caFile.toString()).timeout(E2eSettings.largeTransferTimeout()).run();
        UploadReceipt expected = new UploadReceipt(size, DeterministicContent.sha256Hex(size));
        String answer = expected.length() + " " + expected.sha256() + "\n";
        assertEquals(expected, server.lastUpload(), run::describe);
        assertClientRun(Route.TAPPED, run, answer, Exchange.withBody("PUT", url, 200, answer));
    }

    @Test
    void aJvmWithItsOwnTrustStoreIsReportedOnceInTheOutputAndJsonLinesThenPassedThrough() throws Exception {
        Path jsonLines = dir.resolve("out.jsonl");
        ProcessRun run = ownTrustJvm().flags("--ca-file", caFile.toString(), "--dump-jsonl", jsonLines.toString()).run();
        String line = "<--- PASSTHROUGH " + Httptap.HOST + ":" + server.port() + ": the client does not trust httptap's CA";
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(run.programStdout().startsWith("refused\n"), "the first connection refused the CA"),
                () -> assertTrue(run.programStdout().endsWith("\n" + HELLO), "the last one reached the server"),
                () -> assertEquals(List.of(line), ProcessRun.exchangeLines(run.stdoutLines()),
                        "one line, though two connections refused"),
                () -> assertEquals("", run.stderrText()));
        List<String> records = Files.readAllLines(jsonLines).stream()
                .filter(record -> !record.startsWith("{\"type\":\"dns\"")).toList();
        assertEquals(1, records.size(), records::toString);
        assertTrue(records.get(0).matches("\\{\"type\":\"passthrough\",\"startedDateTime\":\"[^\"]+\",\"server\":\""
                + Httptap.HOST + ":" + server.port() + "\",\"cause\":\"UNTRUSTED_CA\","
                + "\"reason\":\"the client does not trust httptap's CA\"}"), records.get(0));
    }

    @Test
    void passthroughSparesTheJvmItsFailedFirstConnection() throws Exception {
        ProcessRun run = ownTrustJvm()
                .flags("--ca-file", caFile.toString(), "--passthrough", "*.httptap.local:" + server.port()).run();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("ok\nok\n" + HELLO, run.programStdout()),
                () -> assertEquals(List.of("<--- PASSTHROUGH " + Httptap.HOST + ":" + server.port() + " (--passthrough)"),
                        ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertEquals("", run.stderrText()));
    }

    @Test
    void aJdkHttpClientRefusingByHangingUpIsReportedAndThenPassedThrough() throws Exception {
        ProcessRun run = OwnTrustJvm.command(dir, caFile, OwnTrustJvm.SILENT, base + "/hello", HELLO).flags("--ca-file", caFile.toString()).run();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals("refused\n" + HELLO, run.programStdout()),
                () -> assertEquals(List.of("<--- PASSTHROUGH " + Httptap.HOST + ":" + server.port()
                        + ": the client does not trust httptap's CA"), ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertEquals("", run.stderrText()));
    }

    /** wget2 sends "Host: name" to port 8443; the URL printed carries the port the connection used. */
    @Test
    void aHostFieldWithoutThePortGetsTheConnectionsPort() {
        String url = base + "/hello";
        ProcessRun run = Httptap.command("wget2", "-qO-", "--no-config", url).flags("--ca-file", caFile.toString()).run();
        assertClientRun(Route.TAPPED, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    /** node's http2 writes ":authority: name:443"; the URL is printed without it, as curl and browsers do. */
    @Test
    void nodesHttp2AuthorityWithTheDefaultPortIsPrintedWithout() throws Exception {
        Assumptions.assumeTrue(portIsFree(443), "needs to listen on 127.0.0.1:443 (root, port free)");
        try (NodeHttp2Server node = NodeHttp2Server.startTls(dir, PKI.writeServerPem(dir), 443)) {
            Path client = NodeHttp2Server.script(dir, "h2-client.js");
            ProcessRun run = Httptap.command("node", client.toString(), "https://" + Httptap.HOST + ":443", "show", "/hello")
                    .flags("--ca-file", caFile.toString()).run();
            String url = "https://" + Httptap.HOST + "/hello";
            String body = "hello over h2 /hello\n";
            assertClientRun(Route.TAPPED, run, "200\n" + body, Exchange.withBody("GET", url, 200, body));
        }
    }

    /** A literal written in full prints compressed, in brackets; so does the error line of a server not verified. */
    @Test
    void ipv6LiteralsPrintBracketedAndCompressedInExchangeAndErrorLines() throws IOException {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (LocalHttpServer plain = LocalHttpServer.start(loopback6);
                LocalHttpServer tls = LocalHttpServer.startTls(PKI.serverContext(), loopback6)) {
            String typed = "http://[" + HOST_V6_IN_FULL + "]:" + plain.port() + "/hello";
            String unverified = "https://[" + HOST_V6_IN_FULL + "]:" + tls.port() + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "curl -sS -g " + typed + "; curl -sS -g " + unverified
                    + "; echo \"exit $?\"").run();
            String url = "http://" + HOST_V6 + ":" + plain.port() + "/hello";
            assertAll(run.describe(),
                    () -> assertEquals(HELLO + "exit 60\n", run.programStdout()),
                    () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url + " (" + HELLO.length() + " bytes)",
                                    "<--- ERROR " + HOST_V6 + ":" + tls.port() + ": cannot verify the TLS connection: "
                                            + "its certificate is not signed by a trusted CA (use --ca-file for a private CA)"),
                            ProcessRun.exchangeLines(run.stdoutLines())));
        }
    }

    private Httptap ownTrustJvm() throws Exception {
        return OwnTrustJvm.command(dir, caFile, OwnTrustJvm.ALERTING, base + "/hello", HELLO);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ProcessRun tapped(String... command) {
        return Httptap.command(command).flags("--ca-file", caFile.toString()).run();
    }
}
