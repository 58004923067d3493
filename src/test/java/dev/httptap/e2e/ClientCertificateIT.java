package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that ask for a client certificate (mutual TLS, as nginx's ssl_verify_client, a Kubernetes API
 * server): python's ssl server on 127.0.0.1 ({@code client_auth_server.py}) with the test PKI. The child's
 * certificate cannot cross an intercepted connection, so httptap passes such connections through: the
 * child reaches the server exactly as without httptap, and httptap says so once per server.
 */
class ClientCertificateIT {
    private static final TestPki PKI = TestPki.create();
    private static final String HELLO_CLIENT = "hello " + TestPki.CLIENT_NAME + "\n";
    /** The PASSTHROUGH line as a {@link ClientComparison} regex. */
    private static final String PASSTHROUGH = "<--- PASSTHROUGH SERVER \\(the server asks for a client certificate\\)";
    /** python's ssl client with a certificate: arguments CA file, certificate, key, URL. */
    private static final String PYTHON_CLIENT = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[1])
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            sys.stdout.write(urllib.request.urlopen(sys.argv[4], context=context, timeout=20).read().decode())
            """;

    @TempDir
    Path dir;
    private RunningCommand server;
    private String ca;
    private TestPki.PemFiles client;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.killTree();
        }
    }

    @Test
    void curlWithItsCertificateGetsTheAnswerAndTheServerIsReportedOnce() throws Exception {
        int port = start("required");
        ClientComparison.of("https", "/hello").httptapFlags("--ca-file", ca)
                .assertSame(port, curlWithCertificate(), 0, PASSTHROUGH);
    }

    @Test
    void pythonWithACertificateChainGetsTheAnswer() throws Exception {
        int port = start("required");
        ClientComparison.of("https", "/hello").httptapFlags("--ca-file", ca).assertSame(port,
                ClientComparison.Client.of("python3", "-c", PYTHON_CLIENT, ca, client.certificate().toString(),
                        client.key().toString()), 0, PASSTHROUGH);
    }

    /**
     * TLS 1.2, where the server refuses within the handshake (curl's 35): in TLS 1.3 its refusal races the
     * client's request, which curl reports as 55 or 56 from one run to the next, without httptap too.
     */
    @Test
    void curlWithoutACertificateFailsAsItDoesWithoutHttptap() throws Exception {
        int port = start("required");
        ClientComparison.of("https", "/hello").httptapFlags("--ca-file", ca)
                .assertSame(port, ClientComparison.Client.curl("--tls-max", "1.2", "--cacert", ca), 35, PASSTHROUGH);
    }

    @Test
    void aServerThatOnlyAsksStillAnswersAClientWithoutACertificate() throws Exception {
        int port = start("optional");
        ClientComparison.of("https", "/hello").httptapFlags("--ca-file", ca)
                .assertSame(port, ClientComparison.Client.curl("--cacert", ca), 0, PASSTHROUGH);
    }

    /**
     * The first connection costs the server one abandoned handshake (httptap's own); the second passes
     * through at its ClientHello, so the server counts four connections by the third request, not five.
     */
    @Test
    void laterConnectionsToTheServerPassThroughWithoutAnotherHandshake() throws Exception {
        int port = start("required");
        String base = "https://" + Httptap.HOST + ":" + port;
        String curl = String.join(" ", curlWithCertificate().command());
        ProcessRun run = Httptap.command("sh", "-c", curl + " " + base + "/hello && " + curl + " " + base + "/hello && "
                + curl + " " + base + "/connections").flags("--ca-file", ca).run();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(HELLO_CLIENT + HELLO_CLIENT + "connections 4\n", run.programStdout()),
                () -> assertEquals(List.of(passThroughLine(port)), ProcessRun.exchangeLines(run.stdoutLines())));
    }

    /** The JDK's own TLS asks its key manager as Conscrypt does: the same pass-through. */
    @Test
    void withJsseAsTheTlsEngineTheConnectionPassesThroughToo() throws Exception {
        int port = start("required");
        String url = "https://" + Httptap.HOST + ":" + port + "/hello";
        ProcessRun run = Httptap.command(curlWithCertificate().to(url)).flags("--ca-file", ca)
                .wrappedIn("env", "HTTPTAP_TLS_ENGINE=jsse").run();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(HELLO_CLIENT, run.programStdout()),
                () -> assertEquals(List.of(passThroughLine(port)), ProcessRun.exchangeLines(run.stdoutLines())));
    }

    private ClientComparison.Client curlWithCertificate() {
        return ClientComparison.Client.curl("-S", "--cacert", ca, "--cert", client.certificate().toString(),
                "--key", client.key().toString());
    }

    private static String passThroughLine(int port) {
        return "<--- PASSTHROUGH " + Httptap.HOST + ":" + port + " (the server asks for a client certificate)";
    }

    /** Starts the server asking for a certificate ("required" or "optional"); returns its port. */
    private int start(String mode) throws IOException {
        ca = PKI.writeCaPem(dir).toString();
        client = PKI.writeClientPem(dir);
        TestPki.PemFiles serverPem = PKI.writeServerPem(dir);
        server = RunningCommand.start(List.of("python3", E2eSettings.script("client_auth_server.py").toString(),
                serverPem.certificate().toString(), serverPem.key().toString(), ca, mode));
        server.awaitStdout("\n", Duration.ofSeconds(20));
        return Integer.parseInt(server.stdoutSoFar().strip());
    }
}
