package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Golden output of --head and --body: each exchange is driven through the listener calls a parser makes. */
class DetailedPrintingTest {
    private static final String URL = "http://host.httptap.local:8000/path";
    private static final Headers REQUEST_HEADERS = Headers.of("Host", "host.httptap.local:8000", "user-agent", "curl/8.0");
    private static final PrintOptions HEADS = new PrintOptions(false, true, false, 4096);
    private static final PrintOptions BODIES = new PrintOptions(false, false, true, 4096);

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void headersFollowTheirLineInWireOrderAndSpelling() {
        Exchange exchange = exchange("GET", REQUEST_HEADERS);
        TerminalPrinter printer = printer(HEADS);
        printer.onRequestHead(exchange);
        respond(printer, exchange, Headers.of("Content-Type", "text/plain", "X-Odd-CASE", "a,  b", "content-length", "5"),
                "hello");
        assertEquals("""
                ---> GET http://host.httptap.local:8000/path
                > Host: host.httptap.local:8000
                > user-agent: curl/8.0
                <--- 200 http://host.httptap.local:8000/path (5 bytes)
                < Content-Type: text/plain
                < X-Odd-CASE: a,  b
                < content-length: 5
                """, printed());
    }

    @Test
    void controlBytesInTheRequestLineAndHeadersAreEscapedNotSentToTheTerminal() {
        Exchange exchange = exchange("GET", Headers.of("Host", "host.httptap.local:8000", "X-Evil\u001b", "a\u009b2Jb\u0007"));
        TerminalPrinter printer = printer(HEADS);
        printer.onRequestHead(exchange);
        respond(printer, exchange, Headers.of("Set-Cookie", "\u001b]0;title\u0007", "X-Del", "\u007f"), "");
        assertEquals("""
                ---> GET http://host.httptap.local:8000/path
                > Host: host.httptap.local:8000
                > X-Evil\\x1b: a\\x9b2Jb\\x07
                <--- 200 http://host.httptap.local:8000/path (0 bytes)
                < Set-Cookie: \\x1b]0;title\\x07
                < X-Del: \\x7f
                """, printed());
    }

    @Test
    void pseudoHeadersPrintLikeAnyOtherField() {
        Exchange exchange = exchange("GET", Headers.of(":method", "GET", ":path", "/path", ":authority", "host.httptap.local:8000"));
        TerminalPrinter printer = printer(HEADS);
        printer.onRequestHead(exchange);
        respond(printer, exchange, Headers.of(":status", "200"), "");
        assertEquals("""
                ---> GET http://169.254.77.65:8000/path
                > :method: GET
                > :path: /path
                > :authority: host.httptap.local:8000
                <--- 200 http://169.254.77.65:8000/path (0 bytes)
                < :status: 200
                """, printed());
    }

    @Test
    void headersAndBodiesInColourKeepTheLinesColouredAndTheRestPlain() {
        Exchange exchange = exchange("POST", Headers.of("Host", "host.httptap.local:8000"));
        TerminalPrinter printer = printer(new PrintOptions(true, true, true, 4096));
        printer.onRequestHead(exchange);
        printer.onRequestBody(exchange, utf8("a=1"));
        exchange.markRequestComplete(exchange.startNanos());
        respond(printer, exchange, Headers.of("Content-Type", "text/plain"), "ok\n");
        assertEquals("\u001b[1;34m---> POST " + URL + "\u001b[0m\n"
                + "> Host: host.httptap.local:8000\n"
                + "a=1\n"
                + "\u001b[32m<--- 200 " + URL + " (3 bytes)\u001b[0m\n"
                + "< Content-Type: text/plain\n"
                + "ok\n", printed());
    }

    @Test
    void textBodiesFollowTheirHeads() {
        Exchange exchange = exchange("POST", REQUEST_HEADERS);
        TerminalPrinter printer = printer(new PrintOptions(false, true, true, 4096));
        printer.onRequestHead(exchange);
        printer.onRequestBody(exchange, utf8("{\"name\":"));
        printer.onRequestBody(exchange, utf8("\"value\"}"));
        exchange.markRequestComplete(exchange.startNanos());
        respond(printer, exchange, Headers.of("Content-Type", "text/plain; charset=utf-8"), "line one\r\nline two\r\n");
        assertEquals("""
                ---> POST http://host.httptap.local:8000/path
                > Host: host.httptap.local:8000
                > user-agent: curl/8.0
                {"name":"value"}
                <--- 200 http://host.httptap.local:8000/path (20 bytes)
                < Content-Type: text/plain; charset=utf-8
                line one
                line two
                """, printed());
    }

    @Test
    void gzipBodyIsShownDecodedWhileTheCountStaysOnTheWire() throws IOException {
        byte[] encoded = gzip("hello, gzip\n");
        Exchange exchange = exchange("GET", REQUEST_HEADERS);
        TerminalPrinter printer = printer(BODIES);
        printer.onRequestHead(exchange);
        respondBytes(printer, exchange, Headers.of("Content-Encoding", "gzip"), encoded);
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (" + encoded.length + " bytes)\nhello, gzip\n", printed());
    }

    @Test
    void eachEncodingIncludingStackedOnesIsShownDecoded() {
        assertEquals("hello, brotli\n", responseBody("br", "8f068068656c6c6f2c2062726f746c690a03"));
        assertEquals("hello, zstd\n", responseBody("zstd", "28b52ffd045861000068656c6c6f2c207a7374640a84585ca0"));
        assertEquals("stacked text\n", responseBody("gzip, br",
                "0f10801f8b08000000000000032b2e494cce4e4d512849ad28e1020094eb2a4b0d00000003"));
        assertEquals("zlib wrapped\n", responseBody("deflate", "789cabcac94c52282f4a2c28484de1020023d304cf"));
    }

    @Test
    void binaryBodyIsAShortHexPreviewWithItsSize() {
        byte[] png = new byte[100];
        byte[] signature = HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452");
        System.arraycopy(signature, 0, png, 0, signature.length);
        assertEquals("""
                (binary, 100 bytes)
                0000  89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52  .PNG........IHDR
                0010  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
                0020  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
                0030  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
                ... (36 more bytes)
                """, responseBody(Headers.of("Content-Type", "image/png"), png, BODIES));
        assertEquals("""
                (binary, 3 bytes)
                0000  00 ff 41                                         ..A
                """, responseBody(Headers.EMPTY, new byte[] {0, (byte) 0xff, 'A'}, BODIES));
    }

    @Test
    void longBodyIsCutAtTheLimitWithTheCountLeftOut() {
        PrintOptions limited = new PrintOptions(false, false, true, 10);
        assertEquals("0123456789\n... (16 more bytes)\n",
                responseBody(Headers.of("Content-Type", "text/plain"), "0123456789abcdefghijklmnop".getBytes(StandardCharsets.UTF_8), limited));
        // A cut in the middle of a character drops its first bytes rather than printing half of it.
        assertEquals("123456789\n... (2 more bytes)\n",
                responseBody(Headers.EMPTY, "123456789é".getBytes(StandardCharsets.UTF_8), limited));
    }

    @Test
    void compressedBodyPastTheLimitSaysThereIsMore() throws IOException {
        PrintOptions limited = new PrintOptions(false, false, true, 10);
        assertEquals("0123456789\n... (more bytes after the first 10)\n",
                responseBody(Headers.of("Content-Encoding", "gzip"), gzip("0123456789".repeat(100)), limited));
    }

    @Test
    void bodyThatFailsToDecodeIsShownRawWithANote() {
        assertEquals("(cannot decode gzip: not in gzip format; shown as received)\nplain after all\n",
                responseBody(Headers.of("Content-Encoding", "gzip"), utf8Bytes("plain after all\n"), BODIES));
    }

    @Test
    void encodedButEmptyBodyPrintsNothing() {
        // A 304 or a HEAD response names its coding but has no body: there is nothing to decode or note.
        assertEquals("", responseBody(Headers.of("Content-Encoding", "gzip"), new byte[0], BODIES));
        assertEquals("", responseBody(Headers.of("Content-Encoding", "br"), new byte[0], BODIES));
    }

    @Test
    void controlCharactersCannotReachTheTerminal() {
        assertEquals("red\uFFFD[31m text\n",
                responseBody(Headers.of("Content-Type", "text/plain"), utf8Bytes("red\u001b[31m text"), BODIES));
    }

    @Test
    void withoutTheOptionsOnlyTheTwoLinesArePrinted() {
        Exchange exchange = exchange("GET", REQUEST_HEADERS);
        TerminalPrinter printer = printer(PrintOptions.linesOnly(false));
        printer.onRequestHead(exchange);
        respond(printer, exchange, Headers.of("Content-Type", "text/plain"), "hidden");
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (6 bytes)\n", printed());
    }

    @Test
    void exchangeWithoutResponsePrintsTheRequestBody() {
        Exchange exchange = exchange("PUT", REQUEST_HEADERS);
        TerminalPrinter printer = printer(BODIES);
        printer.onRequestHead(exchange);
        printer.onRequestBody(exchange, utf8("sent\n"));
        exchange.finish(Outcome.NO_RESPONSE, 3);
        printer.onExchangeFinished(exchange);
        assertEquals("---> PUT " + URL + "\nsent\n<--- (no response) " + URL + "\n", printed());
    }

    private String responseBody(String contentEncoding, String hex) {
        return responseBody(Headers.of("Content-Encoding", contentEncoding), HexFormat.of().parseHex(hex), BODIES);
    }

    /** Prints one GET whose response carries {@code body}, and returns what follows the response line. */
    private String responseBody(Headers responseHeaders, byte[] body, PrintOptions options) {
        output.reset();
        Exchange exchange = exchange("GET", REQUEST_HEADERS);
        TerminalPrinter printer = printer(options);
        printer.onRequestHead(exchange);
        respondBytes(printer, exchange, responseHeaders, body);
        String all = printed();
        String responseLine = "<--- 200 " + URL + " (" + body.length + " bytes)\n";
        return all.substring(all.indexOf(responseLine) + responseLine.length());
    }

    private static void respond(TerminalPrinter printer, Exchange exchange, Headers headers, String body) {
        respondBytes(printer, exchange, headers, utf8Bytes(body));
    }

    /** The response arrives in two pieces, as bodies do. */
    private static void respondBytes(TerminalPrinter printer, Exchange exchange, Headers headers, byte[] body) {
        exchange.recordResponse(new ResponseHead(200, "OK", "HTTP/1.1", headers), 1);
        printer.onResponseHead(exchange);
        int half = body.length / 2;
        printer.onResponseBody(exchange, ByteBuffer.wrap(body, 0, half).slice().asReadOnlyBuffer());
        printer.onResponseBody(exchange, ByteBuffer.wrap(body, half, body.length - half).slice().asReadOnlyBuffer());
        exchange.addResponseBodyBytes(body.length);
        exchange.markResponseComplete();
        exchange.finish(Outcome.COMPLETE, 2);
        printer.onExchangeFinished(exchange);
    }

    private TerminalPrinter printer(PrintOptions options) {
        return new TerminalPrinter(new PrintStream(output, false, StandardCharsets.UTF_8), options);
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static Exchange exchange(String method, Headers headers) {
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", 8000));
        ConnectionInfo connection = new ConnectionInfo(flow, new InetSocketAddress("127.0.0.1", 8000), "http");
        return new Exchange(connection, new RequestHead(method, "/path", "HTTP/1.1", headers), 0, 0);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(utf8Bytes(text)).asReadOnlyBuffer();
    }

    private static byte[] utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
