package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.httptap.e2e.ClientComparison.Client.curl;
import static dev.httptap.e2e.ClientComparison.Client.urllib;

import dev.httptap.e2e.ClientComparison.Client;
import dev.httptap.e2e.TestPki.Flaw;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS servers a client must not trust, or cannot talk to (issue 15). The user's trust is the same both
 * ways: the client trusts the test CA when run directly ({@code CURL_CA_BUNDLE}, {@code SSL_CERT_FILE}),
 * httptap does through {@code --ca-file} (the client then trusting httptap's CA as httptap arranges), and
 * nobody trusts a self-signed certificate. The client must fail the same way both ways, never succeed under
 * httptap, and httptap prints one error line saying why.
 */
class HostileTlsServerIT {
    private static final String PATH = "/hello";
    private static final String NOT_VERIFIED = "<--- ERROR SERVER: cannot verify the TLS connection: ";

    @TempDir
    Path dir;

    @Test
    void expiredCertificate() throws Exception {
        assertRefused(Flaw.EXPIRED, NOT_VERIFIED + "its certificate has expired \\(.*\\)");
    }

    @Test
    void certificateForAnotherName() throws Exception {
        assertRefused(Flaw.WRONG_NAME,
                NOT_VERIFIED + "No subject alternative DNS name matching " + Httptap.HOST + " found\\.");
    }

    @Test
    void selfSignedCertificate() throws Exception {
        TestPki pki = TestPki.create(Flaw.SELF_SIGNED);
        String line = NOT_VERIFIED + "its certificate is not signed by a trusted CA \\(use --ca-file for a private CA\\)";
        try (LocalHttpServer server = LocalHttpServer.startTls(pki.serverContext())) {
            ClientComparison clients = ClientComparison.of("https", PATH);
            clients.assertSame(server.port(), curl(), 60, line);
            clients.assertSame(server.port(), urllib(), 3, line);
            // Having refused, the client judges the server itself on its next connections, which pass through.
            clients.assertSame(server.port(), Client.of("sh", "-c", "curl -s \"$0\"; echo \"first $?\"; curl -s \"$0\""),
                    60, line);
        }
    }

    /**
     * The one difference that stays: a client pinning the server's private CA, which httptap was not given
     * (--ca-file), refuses httptap's stand-in on its first connection, where it would have reached the
     * server; httptap cannot know whom the client trusts. Its later connections pass through and succeed.
     */
    @Test
    void aClientTrustingAPrivateCaHttptapWasNotGivenFailsOnlyItsFirstConnection() throws Exception {
        TestPki pki = TestPki.create();
        Path ca = pki.writeCaPem(dir);
        try (LocalHttpServer server = LocalHttpServer.startTls(pki.serverContext())) {
            String twice = "curl -s --cacert " + ca + " \"$0\"; echo \" first $?\"; curl -s --cacert " + ca + " \"$0\"";
            ProcessRun direct = Route.DIRECT.run("sh", "-c", twice, "https://127.0.0.1:" + server.port() + PATH);
            ProcessRun tapped = Httptap.command("sh", "-c", twice, "https://" + Httptap.HOST + ":" + server.port() + PATH)
                    .flags("--stderr").run();
            String hello = LocalHttpServer.HELLO_BODY;
            assertAll(tapped.describe(),
                    () -> assertEquals(hello + " first 0\n" + hello, direct.stdoutText(), direct.describe()),
                    () -> assertEquals(" first 60\n" + hello, tapped.stdoutText(), "refused once, then the server itself"),
                    () -> assertEquals(0, tapped.exitCode()),
                    () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST + ":" + server.port() + ": cannot verify the TLS "
                            + "connection: its certificate is not signed by a trusted CA (use --ca-file for a private CA)"),
                            ProcessRun.exchangeLines(tapped.stderrLines())));
        }
    }

    /** A valid TLS 1.2 ServerHello, then bytes that are no TLS record: both clients fail their handshake. */
    @Test
    void garbageAfterTheServerHello() throws Exception {
        TcpServerFixture.Handler server = socket -> {
            socket.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.skipNBytes(3);
            in.skipNBytes(in.readUnsignedShort()); // the ClientHello's record
            OutputStream out = socket.getOutputStream();
            out.write(serverHello());
            out.write("this is no TLS record, only garbage\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            in.transferTo(OutputStream.nullOutputStream());
        };
        String line = "<--- ERROR SERVER: the TLS handshake failed: .*";
        try (TcpServerFixture fixture = TcpServerFixture.start(4, server)) {
            ClientComparison clients = ClientComparison.of("https", PATH);
            clients.assertSame(fixture.port(), curl(), 35, line);
            clients.assertSame(fixture.port(), urllib(), 3, line);
        }
    }

    private void assertRefused(Flaw flaw, String line) throws Exception {
        TestPki pki = TestPki.create(flaw);
        Path ca = pki.writeCaPem(dir);
        try (LocalHttpServer server = LocalHttpServer.startTls(pki.serverContext())) {
            ClientComparison clients = ClientComparison.of("https", PATH).httptapFlags("--ca-file", ca.toString());
            clients.assertSame(server.port(), curl().withEnvironment("CURL_CA_BUNDLE=" + ca), curl(), 60, line);
            clients.assertSame(server.port(), urllib().withEnvironment("SSL_CERT_FILE=" + ca), urllib(), 3, line);
        }
    }

    /**
     * A TLS 1.2 ServerHello (RFC 5246 section 7.4.1.3) choosing ECDHE-RSA-AES128-GCM-SHA256, which curl,
     * python and Java all offer, with the empty renegotiation_info that OpenSSL 3 requires.
     */
    private static byte[] serverHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]); // the server random; zeros carry no downgrade sentinel
        body.write(0); // no session id
        body.writeBytes(new byte[] {(byte) 0xc0, 0x2f, 0}); // the cipher suite, no compression
        body.writeBytes(new byte[] {0, 5, (byte) 0xff, 0x01, 0, 1, 0}); // extensions: renegotiation_info, empty
        byte[] message = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 3, 0, (byte) (message.length + 4), 2, 0, 0, (byte) message.length});
        record.writeBytes(message);
        return record.toByteArray();
    }
}
