package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients whose own habits need care (issue 12): a JVM with a trust store of its own, which refuses
 * httptap's CA, with and without --passthrough; a Host field without the port the connection used (as
 * wget2 sends it); node's http2, which writes the default port out in :authority; IPv6 literals.
 */
class ClientHabitsIT {
    private static final String HELLO = LocalHttpServer.HELLO_BODY;
    private static final TestPki PKI = TestPki.create();
    /** host.httptap.local's IPv6 alias, written out in full as a user might type it. */
    private static final String HOST_V6_IN_FULL = "fd77:6874:7470:0:0:0:a9fe:4d41";
    private static final String HOST_V6 = "[fd77:6874:7470::a9fe:4d41]";
    /**
     * Two requests racing on connections of their own, then one more, with HttpsURLConnection (as most Java
     * clients, it sends an alert when it refuses a certificate; java.net.http's HttpClient just hangs up):
     * without help a JVM whose trust store lacks httptap's CA refuses the first ones, and the last one
     * reaches the server, passed through.
     */
    private static final String OWN_TRUST_CLIENT = """
            import java.net.URL;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Executor;

            public class OwnTrust {
                public static void main(String[] args) throws Exception {
                    URL url = new URL(args[0]);
                    Executor ownThread = task -> {
                        Thread thread = new Thread(task);
                        thread.setDaemon(true);
                        thread.start();
                    };
                    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> get(url), ownThread);
                    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> get(url), ownThread);
                    System.out.println(first.get().equals(args[1]) ? "ok" : first.get());
                    System.out.println(second.get().equals(args[1]) ? "ok" : second.get());
                    System.out.print(get(url));
                }

                static String get(URL url) {
                    try (var in = url.openConnection().getInputStream()) {
                        return new String(in.readAllBytes());
                    } catch (Exception e) {
                        return "refused";
                    }
                }
            }
            """;

    /** java.net.http's HttpClient, which refuses a certificate by hanging up: twice in turn. */
    private static final String SILENT_CLIENT = """
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            public class Silent {
                public static void main(String[] args) throws Exception {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).build();
                    for (int i = 0; i < 2; i++) {
                        try {
                            System.out.print(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body());
                        } catch (java.io.IOException e) {
                            System.out.println("refused");
                        }
                    }
                }
            }
            """;

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
        ProcessRun run = ownTrustJvm("Silent", SILENT_CLIENT).flags("--ca-file", caFile.toString()).run();
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
        ProcessRun run = Httptap.command("curl", "-sS", "-H", "Host: " + Httptap.HOST, url)
                .flags("--ca-file", caFile.toString()).run();
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
        return ownTrustJvm("OwnTrust", OWN_TRUST_CLIENT);
    }

    /** {@code program} (the source of class {@code name}) run with a trust store of its own, holding the server's CA. */
    private Httptap ownTrustJvm(String name, String program) throws Exception {
        Path source = dir.resolve(name + ".java");
        Files.writeString(source, program);
        Path store = dir.resolve("own-trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("own-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, "changeit".toCharArray());
        }
        return Httptap.command("java", "-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=changeit",
                source.toString(), base + "/hello", HELLO);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
