package dev.httptap.e2e;

import static dev.httptap.e2e.ClientComparison.Client.curl;
import static dev.httptap.e2e.ClientComparison.Client.urllib;

import dev.httptap.e2e.ClientComparison.Client;
import dev.httptap.e2e.TcpServerFixture.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servers that break HTTP/1 in the ways real ones do (issue 15): each case runs the same client directly
 * against 127.0.0.1 and under httptap against host.httptap.local, and checks that the client got the
 * same bytes and the same error (curl's exit code, python's exception), that httptap exits with it, and
 * that httptap printed the request and one sensible line for what came back, without growing.
 */
class HostileServerIT {
    private static final String PATH = "/hostile";
    private static final int ENDLESS_HEAD_BYTES = 8 * 1024 * 1024;
    private static final String NOT_FOLLOWED = "<--- ERROR URL: cannot follow the exchange: response: ";

    /** A raw socket: one request, then everything up to the server's close, as length and hash. */
    private static final String PYTHON_RAW = """
            import hashlib, socket, sys, urllib.parse
            url = urllib.parse.urlsplit(sys.argv[1])
            s = socket.create_connection((url.hostname, url.port), timeout=20)
            s.sendall(b'GET %s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n' % (url.path.encode(), url.netloc.encode()))
            received = hashlib.sha256()
            length = 0
            try:
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    received.update(data)
                    length += len(data)
                print('closed', length, received.hexdigest())
            except Exception as e:
                print('error', type(e).__name__, length, received.hexdigest())
                sys.exit(3)
            """;

    /** Responses written whole, then closed: name, response, curl's and python's exit codes, httptap's lines. */
    static Stream<Arguments> writtenWhole() {
        String[] cutAtTen = {"<--- 200 URL \\(10 bytes, incomplete\\)"};
        String[] chunked = {"<--- 200 URL \\(5 bytes\\)"};
        // The head was a response: its line, marked cut short with why nothing more was followed.
        String[] badChunk = {"<--- 200 URL \\(0 bytes, incomplete: cannot follow the rest: response: invalid byte 0x7a "
                + "in a chunk size\\)"};
        String[] cutInChunk = {"<--- 200 URL \\(512 bytes, incomplete\\)"};
        return Stream.of(
                Arguments.of("status line without a code", "HTTP/1.1 abc\r\nContent-Length: 2\r\n\r\nhi", 1, 3,
                        new String[] {NOT_FOLLOWED + "not an HTTP/1 status line: \"HTTP/1.1 abc\""}),
                Arguments.of("status line of another protocol", "HTTQ/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 1, 3,
                        new String[] {NOT_FOLLOWED + "not an HTTP/1 status line: \"HTTQ/1.1 200 OK\""}),
                Arguments.of("empty status line", "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 1, 3,
                        new String[] {NOT_FOLLOWED + "an empty line instead of a status line"}),
                Arguments.of("Content-Length longer than the body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                        + "only ten.\n", 18, 3, cutAtTen),
                Arguments.of("Content-Length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 0, 0, chunked),
                Arguments.of("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "zz\r\nhello\r\n0\r\n\r\n", 56, 3, badChunk),
                Arguments.of("close mid-body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n"
                        + "c".repeat(512), 18, 3, cutInChunk));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenWhole")
    void responseWrittenWhole(String name, String response, int curlExit, int pythonExit, String[] lines)
            throws Exception {
        Handler server = answering(response);
        assertSame(server, curl(), curlExit, lines);
        assertSame(server, urllib(), pythonExit, lines);
    }

    /** curl gives up after 100 KiB of head; a raw client reads all 8 MiB, which httptap must not keep. */
    @Test
    void endlessHead() throws Exception {
        Handler server = socket -> {
            readRequest(socket);
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int line = 0; line < ENDLESS_HEAD_BYTES / 128; line++) {
                out.write(String.format("X-Endless-%08d: %s\r\n", line, "e".repeat(106)).getBytes(StandardCharsets.US_ASCII));
            }
        };
        assertSame(server, curl(), 56, NOT_FOLLOWED + "the connection (was reset|closed) inside a head, after \\d+ bytes");
        assertSame(server, Client.of("python3", "-c", PYTHON_RAW), 0,
                NOT_FOLLOWED + "the server closed the connection inside a head, after " + (ENDLESS_HEAD_BYTES + 17) + " bytes");
    }

    @Test
    void resetMidBody() throws Exception {
        Handler server = socket -> {
            readRequest(socket);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "r".repeat(50_000))
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setSoLinger(true, 0); // the fixture's close is then a reset
        };
        assertSame(server, curl(), 56, "<--- 200 URL \\(50000 bytes, incomplete\\)");
        assertSame(server, urllib(), 3, "<--- 200 URL \\(50000 bytes, incomplete\\)");
    }

    @Test
    void stallingServer() throws Exception {
        Handler server = socket -> {
            readRequest(socket);
            socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // nothing, until the client gives up
        };
        assertSame(server, curl("--max-time", "2"), 28, "<--- \\(no response\\) URL");
    }

    @Test
    void serverStallingMidBody() throws Exception {
        Handler server = socket -> {
            readRequest(socket);
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // no more, until the client gives up
        };
        assertSame(server, curl("--max-time", "2"), 28, "<--- 200 URL \\(3 bytes, incomplete\\)");
    }

    /** {@code responseLines}: the regexes of what httptap prints after the request line. */
    private static void assertSame(Handler server, Client client, int expectedExit, String... responseLines)
            throws Exception {
        String[] lines = new String[responseLines.length + 1];
        lines[0] = "---> GET URL";
        System.arraycopy(responseLines, 0, lines, 1, responseLines.length);
        try (TcpServerFixture fixture = TcpServerFixture.start(4, server)) {
            ClientComparison.of("http", PATH).assertSame(fixture.port(), client, expectedExit, lines);
        }
    }

    /** The request's head, read as the server's first step; the socket then gives up after 20 s of silence. */
    private static void readRequest(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        HttpHeads.read(socket.getInputStream());
    }

    /** Reads the request's head, writes {@code response}, and closes once the client has (no reset for unread bytes). */
    private static Handler answering(String response) {
        return socket -> {
            readRequest(socket);
            socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        };
    }
}
