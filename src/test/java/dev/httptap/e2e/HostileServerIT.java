package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Servers that break HTTP/1 in the ways real ones do (issue 15): each case runs the same client directly
 * against 127.0.0.1 and under httptap against host.httptap.local, and checks that the client got the
 * same bytes and the same error (curl's exit code, python's exception), that httptap exits with it, and
 * that httptap printed the request and exactly one sensible line for what came back, without growing.
 */
class HostileServerIT {
    private static final String PATH = "/hostile";
    /** Far above an idle httptap (about 70 MiB), far below what holding a hostile peer's bytes would take. */
    private static final long MAX_RSS_MIB = 400;
    private static final int ENDLESS_HEAD_BYTES = 8 * 1024 * 1024;

    /** urllib, as most python programs fetch: the body's length and hash, or the exception's class (and its reason's). */
    private static final String PYTHON_URLLIB = """
            import hashlib, sys, urllib.request
            try:
                body = urllib.request.urlopen(sys.argv[1], timeout=20).read()
                print('body', len(body), hashlib.sha256(body).hexdigest())
            except Exception as e:
                reason = getattr(e, 'reason', None)
                partial = getattr(e, 'partial', None)
                print('error', type(e).__name__, type(reason).__name__ if isinstance(reason, BaseException) else '',
                      '' if partial is None else len(partial))
                sys.exit(3)
            """;

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

    @Test
    void statusLineWithoutACode() throws Exception {
        Handler server = answering("HTTP/1.1 abc\r\nContent-Length: 2\r\n\r\nhi");
        assertSame(server, 1, "<--- ERROR URL: cannot follow the exchange: .*", curl());
        assertSame(server, 3, "<--- ERROR URL: cannot follow the exchange: .*", urllib());
    }

    @Test
    void statusLineOfAnotherProtocol() throws Exception {
        Handler server = answering("HTTQ/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        assertSame(server, 1, "<--- ERROR URL: cannot follow the exchange: .*", curl());
        assertSame(server, 3, "<--- ERROR URL: cannot follow the exchange: .*", urllib());
    }

    @Test
    void emptyStatusLine() throws Exception {
        Handler server = answering("\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        String line = "<--- ERROR URL: cannot follow the exchange: response: an empty line instead of a status line";
        assertSame(server, 1, line, curl());
        assertSame(server, 3, line, urllib());
    }

    @Test
    void contentLengthLongerThanTheBody() throws Exception {
        Handler server = answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten.\n");
        assertSame(server, 18, "<--- 200 URL \\(10 bytes, incomplete\\)", curl());
        assertSame(server, 3, "<--- 200 URL \\(10 bytes, incomplete\\)", urllib());
    }

    @Test
    void contentLengthWithChunked() throws Exception {
        Handler server = answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        assertSame(server, 0, "<--- 200 URL \\(5 bytes\\)", curl());
        assertSame(server, 0, "<--- 200 URL \\(5 bytes\\)", urllib());
    }

    @Test
    void badChunkSize() throws Exception {
        Handler server = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        // The head was a response: its line, marked cut short, then why nothing more was followed.
        String[] lines = {"<--- 200 URL \\(0 bytes, incomplete\\)",
            "<--- ERROR URL: cannot follow the exchange: response: invalid byte 0x7a in a chunk size"};
        assertSame(server, 56, lines, curl());
        assertSame(server, 3, lines, urllib());
    }

    @Test
    void endlessHead() throws Exception {
        Handler server = socket -> {
            HttpHeads.read(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int line = 0; line < ENDLESS_HEAD_BYTES / 128; line++) {
                out.write(String.format("X-Endless-%08d: %s\r\n", line, "e".repeat(106)).getBytes(StandardCharsets.US_ASCII));
            }
        };
        String line = "<--- ERROR URL: cannot follow the exchange: response: the connection ended inside the head, after ";
        assertSame(server, 56, line + "\\d+ bytes", curl()); // curl gives up after 100 KiB
        assertSame(server, 0, line + (ENDLESS_HEAD_BYTES + 17) + " bytes", raw());
    }

    @Test
    void closeMidBody() throws Exception {
        Handler server = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "c".repeat(512));
        assertSame(server, 18, "<--- 200 URL \\(512 bytes, incomplete\\)", curl());
        assertSame(server, 3, "<--- 200 URL \\(512 bytes, incomplete\\)", urllib());
    }

    @Test
    void resetMidBody() throws Exception {
        Handler server = socket -> {
            HttpHeads.read(socket.getInputStream());
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "r".repeat(50_000))
                    .getBytes(StandardCharsets.US_ASCII));
            socket.setSoLinger(true, 0); // the fixture's close is then a reset
        };
        assertSame(server, 56, "<--- 200 URL \\(50000 bytes, incomplete\\)", curl());
        assertSame(server, 3, "<--- 200 URL \\(50000 bytes, incomplete\\)", urllib());
    }

    @Test
    void stallingServer() throws Exception {
        Handler server = socket -> {
            InputStream in = socket.getInputStream();
            HttpHeads.read(in);
            socket.setSoTimeout(20_000);
            in.transferTo(OutputStream.nullOutputStream()); // nothing, until the client gives up
        };
        assertSame(server, 28, "<--- \\(no response\\) URL", curl("--max-time", "2"));
    }

    /** A client command line; its last argument, the URL, is added per route. */
    private record Client(List<String> command) {
        String[] to(String url) {
            List<String> line = new ArrayList<>(command);
            line.add(url);
            return line.toArray(String[]::new);
        }
    }

    private static Client curl(String... options) {
        List<String> command = new ArrayList<>(List.of("curl", "-s"));
        command.addAll(List.of(options));
        return new Client(command);
    }

    private static Client urllib() {
        return new Client(List.of("python3", "-c", PYTHON_URLLIB));
    }

    private static Client raw() {
        return new Client(List.of("python3", "-c", PYTHON_RAW));
    }

    /**
     * Runs {@code client} directly and under httptap against a fresh {@code server}; {@code expectedExit} is
     * what the direct run must give (so the shape really hurts the client), {@code responseLine} the regex
     * (URL standing for the exchange's URL) that httptap's one "&lt;--- " line must match (or, when the
     * response began, {@code responseLines}: its line marked cut short, then why).
     */
    private static void assertSame(Handler server, int expectedExit, String responseLine, Client client) throws Exception {
        assertSame(server, expectedExit, new String[] {responseLine}, client);
    }

    /** As above, with the regexes of the "&lt;--- " lines in their order. */
    private static void assertSame(Handler server, int expectedExit, String[] responseLines, Client client)
            throws Exception {
        try (TcpServerFixture fixture = TcpServerFixture.start(4, server::serve)) {
            String url = Route.TAPPED.baseUrl(fixture.port()) + PATH;
            ProcessRun direct = Route.DIRECT.run(client.to(Route.DIRECT.baseUrl(fixture.port()) + PATH));
            RunningCommand running = Httptap.command(client.to(url)).flags("--stderr").start();
            ResidentMemory memory = ResidentMemory.of(running);
            ProcessRun tapped = running.awaitExit(E2eSettings.runTimeout());
            long peakMib = memory.peakMib();
            List<String> lines = ProcessRun.exchangeLines(tapped.stderrLines());
            List<String> printed = lines.stream().filter(line -> line.startsWith("<--- ")).toList();
            List<String> expected = Arrays.stream(responseLines).map(line -> line.replace("URL", Pattern.quote(url))).toList();
            assertAll(client.command().get(0) + "\n" + direct.describe() + "\n" + tapped.describe(),
                    () -> assertEquals(expectedExit, direct.exitCode(), "the client's exit code without httptap"),
                    () -> assertEquals(sha256(direct.stdout()), sha256(tapped.stdout()), "what the client wrote"),
                    () -> assertEquals(direct.exitCode(), tapped.exitCode(), "httptap's exit code, the client's"),
                    () -> assertEquals(List.of("---> GET " + url), lines.stream().filter(l -> l.startsWith("---> ")).toList(),
                            "request lines"),
                    () -> assertEquals(expected.size(), printed.size(), "lines for what came back: " + printed),
                    () -> assertTrue(IntStream.range(0, Math.min(expected.size(), printed.size()))
                                    .allMatch(i -> printed.get(i).matches(expected.get(i))),
                            printed + " should match " + expected),
                    () -> assertTrue(peakMib < MAX_RSS_MIB, "httptap's peak resident memory: " + peakMib + " MiB"));
        }
    }

    /** What a scripted server does with one connection; unlike the fixture's handler, it may leave writes unfinished. */
    @FunctionalInterface
    private interface Handler {
        void handle(Socket socket) throws IOException, InterruptedException;

        /** The client may hang up on a hostile server mid-write: that is the point, not a failure. */
        default void serve(Socket socket) throws InterruptedException {
            try {
                socket.setSoTimeout(20_000);
                handle(socket);
            } catch (IOException e) {
                // the client gave up first
            }
        }
    }

    /** Reads the request's head, writes {@code response}, and closes once the client has (no reset for unread bytes). */
    private static Handler answering(String response) {
        return socket -> {
            InputStream in = socket.getInputStream();
            HttpHeads.read(in);
            socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            in.transferTo(OutputStream.nullOutputStream());
        };
    }

    private static String sha256(byte[] bytes) {
        return bytes.length + " bytes, sha-256 " + HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
    }
}
