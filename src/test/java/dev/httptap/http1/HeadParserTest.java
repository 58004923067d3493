package dev.httptap.http1;

import dev.httptap.event.Header;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadParserTest {
    private static RawHead parse(String head) throws Http1Exception {
        HeadReader reader = new HeadReader();
        ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(reader.read(bytes), "head not complete");
        assertFalse(bytes.hasRemaining(), "the reader took bytes past the head");
        return reader.take();
    }

    @Test
    void headersKeepTheirSpellingAndOrderAndLookupIgnoresCase() throws Http1Exception {
        RawHead head = parse("GET / HTTP/1.1\r\nHost: a\r\nx-lower: 1\r\nX-UPPER:2\r\nSet-Cookie: a=1\r\n"
                + "set-cookie:   b=2  \t\r\n\r\n");
        assertEquals(List.of(new Header("Host", "a"), new Header("x-lower", "1"), new Header("X-UPPER", "2"),
                new Header("Set-Cookie", "a=1"), new Header("set-cookie", "b=2")), head.headers().asList());
        assertEquals(Optional.of("1"), head.headers().first("X-Lower"));
        assertEquals(List.of("a=1", "b=2"), head.headers().all("SET-COOKIE"));
        assertEquals(Optional.empty(), head.headers().first("Missing"));
    }

    @Test
    void obsoleteLineFoldingIsJoinedWithOneSpace() throws Http1Exception {
        RawHead head = parse("HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\n\tthird\r\nNext: n\r\n\r\n");
        assertEquals(List.of(new Header("X-Folded", "first second third"), new Header("Next", "n")),
                head.headers().asList());
    }

    @Test
    void bytesAfterTheHeadStayInTheBuffer() throws Http1Exception {
        HeadReader reader = new HeadReader();
        ByteBuffer bytes = ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\nBODY".getBytes(StandardCharsets.US_ASCII));
        assertTrue(reader.read(bytes));
        assertEquals(4, bytes.remaining());
        assertEquals("GET / HTTP/1.1", reader.take().startLine());
    }

    @Test
    void oddFieldLinesAreKeptAsSentOrSkippedWithANote() throws Http1Exception {
        RawHead head = parse("GET / HTTP/1.1\r\n folded-first: x\r\nNo colon here\r\nBad Name: x\r\n"
                + ": empty name\r\nHost : h\r\nNul: a\u0000b\r\n\r\n");
        assertEquals(List.of(new Header("Bad Name", "x"), new Header("Host ", "h"), new Header("Nul", "a\u0000b")),
                head.headers().asList());
        assertEquals(List.of("head has 3 line(s) that are no header field, first \" folded-first: x\""), head.notes());
        assertThrows(Http1Exception.class, () -> new HeadReader().read(ByteBuffer.wrap(new byte[] {'G', 0, 'T'})));
    }

    @Test
    void oddWhitespaceNonAsciiBytesAndFoldingKeepTheirExactShape() throws Http1Exception {
        RawHead head = parse("GET /p HTTP/1.1\r\r\n\t: tab-folded before any field\r\nA:\r\n"
                + "B: \t x \t y\t \r\r\n \t \r\nC:v\u00e9\u00ff\u0080\nD :: \r\n\t more:\t\r\n"
                + "E\t: z\rq\r\nHost: [fd77:6874:7470::1]:8080\r\n\r\n");
        assertEquals("GET /p HTTP/1.1", head.startLine());
        assertEquals(List.of(new Header("A", ""), new Header("B", "x \t y"), new Header("C", "v\u00e9\u00ff\u0080"),
                new Header("D ", ": more:"), new Header("E\t", "z\rq"), new Header("Host", "[fd77:6874:7470::1]:8080")),
                head.headers().asList());
        assertEquals(List.of("head has 1 line(s) that are no header field, first \"\\x09: tab-folded before any field\""),
                head.notes());
    }

    @Test
    void aHugeHeadKeepsItsFirstFieldsAndFoldsOnlyKeptOnes() throws Http1Exception {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < HeadParser.MAX_HEADER_COUNT + 3; i++) {
            request.append("X-").append(i).append(":").append("v".repeat(100)).append("\r\n");
        }
        RawHead head = parse(request.append(" folded after an omitted field\r\nTransfer-Encoding: chunked\r\n"
                + " folded onto a framing field\r\n\r\n").toString());
        assertEquals(HeadParser.MAX_HEADER_COUNT + 1, head.headers().size());
        assertEquals(new Header("Transfer-Encoding", "chunked"), head.headers().get(HeadParser.MAX_HEADER_COUNT));
        assertEquals(List.of("3 header fields after the first 256 are not shown"), head.notes());
    }

    @Test
    void fieldsBeyondTheCountAreNotShownButFramingFieldsAreKept() throws Http1Exception {
        StringBuilder request = new StringBuilder("POST / HTTP/1.1\r\n");
        for (int i = 0; i < HeadParser.MAX_HEADER_COUNT + 44; i++) {
            request.append("X-").append(i).append(": v\r\n").append(i == 0 ? " folded\r\n" : "");
        }
        RawHead head = parse(request.append("Content-Length: 3\r\n\r\n").toString());
        assertEquals(HeadParser.MAX_HEADER_COUNT + 1, head.headers().asList().size());
        assertEquals(Optional.of("v folded"), head.headers().first("X-0"));
        assertEquals(Optional.of("3"), head.headers().first("Content-Length"));
        assertEquals(List.of("44 header fields after the first 256 are not shown"), head.notes());
    }

    @Test
    void requestLines() throws Http1Exception {
        RequestHead head = StartLines.request(parse("OPTIONS * HTTP/1.0\r\n\r\n"));
        assertEquals(List.of("OPTIONS", "*", "HTTP/1.0"), List.of(head.method(), head.target(), head.version()));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("GET /\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("GET HTTP/1.1\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("G(T / HTTP/1.1\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("GET / HTTP/1.1x\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("GET / http/1.1\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.request(parse("PRI * HTTP/2.0\r\n\r\n")));
    }

    /** Servers split request lines on whitespace runs (RFC 9112 section 3) and answer what they cannot serve. */
    @Test
    void requestLinesAreReadAsLenientlyAsServersReadThem() throws Http1Exception {
        assertEquals(List.of("GET", "/a", "HTTP/1.1"), requestLine("GET  \t/a \t HTTP/1.1"));
        assertEquals(List.of("GET", "/b", "HTTP/1.1"), requestLine(" GET\u000b/b\u000cHTTP/1.1\t"));
        assertEquals(List.of("GET", "/c", "HTTP/1.0"), requestLine("GET\r/c\rHTTP/1.0"));
        assertEquals(List.of("get", "/d", "HTTP/1.1"), requestLine("get /d HTTP/1.1"));
        assertEquals(List.of("GET", "http://other.test:81/e", "HTTP/1.1"), requestLine("GET http://other.test:81/e HTTP/1.1"));
        assertEquals(List.of("GET", "/f g", "HTTP/1.1"), requestLine("GET /f g HTTP/1.1"));
        assertEquals(List.of("GET", "/h", "HTTP/2.0"), requestLine("GET /h HTTP/2.0"));
    }

    @Test
    void linesShapedLikeRequestsAreToldFromOtherBytes() {
        assertTrue(StartLines.looksLikeRequest("GET /"));
        assertTrue(StartLines.looksLikeRequest("get http://x/"));
        assertTrue(StartLines.looksLikeRequest("OPTIONS *"));
        assertTrue(StartLines.looksLikeRequest("BREW pot http/1.1"));
        assertFalse(StartLines.looksLikeRequest("HELLO there"));
        assertFalse(StartLines.looksLikeRequest("EHLO mail.test"));
        assertFalse(StartLines.looksLikeRequest("GET"));
        assertFalse(StartLines.looksLikeRequest("G(T / HTTP/1.1"));
    }

    private static List<String> requestLine(String line) throws Http1Exception {
        RequestHead head = StartLines.request(parse(line + "\r\nHost: h\r\n\r\n"));
        return List.of(head.method(), head.target(), head.version());
    }

    @Test
    void statusLines() throws Http1Exception {
        ResponseHead ok = StartLines.response(parse("HTTP/1.1 200 OK Then More\r\n\r\n"));
        assertEquals(List.of(200, "OK Then More", "HTTP/1.1"), List.of(ok.status(), ok.reason(), ok.version()));
        ResponseHead bare = StartLines.response(parse("HTTP/1.0 404\r\n\r\n"));
        assertEquals(List.of(404, ""), List.of(bare.status(), bare.reason()));
        assertThrows(Http1Exception.class, () -> StartLines.response(parse("HTTP/1.1 20 OK\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.response(parse("HTTP/1.1 2000 OK\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> StartLines.response(parse("ICY 200 OK\r\n\r\n")));
        ResponseHead emptyReason = StartLines.response(parse("HTTP/1.1 599 \r\n\r\n"));
        assertEquals(List.of(599, ""), List.of(emptyReason.status(), emptyReason.reason()));
        Http1Exception low = assertThrows(Http1Exception.class, () -> StartLines.response(parse("HTTP/1.1 099 X\r\n\r\n")));
        assertTrue(low.getMessage().startsWith("status code below 100"), low.getMessage());
        for (String bad : List.of("HTTP/1.1 2x0 OK", "HTTP/1.1 20\u0662 OK", "HTTP/1.1 -20 OK", "HTTP/1.1 200OK", "HTTP/1.1")) {
            assertThrows(Http1Exception.class, () -> StartLines.response(parse(bad + "\r\n\r\n")), bad);
        }
    }
}
