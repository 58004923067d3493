package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fixture server's request parsing, on bytes (no sockets): framing must keep requests aligned. */
class RequestParsingTest {

    @Test
    void headIsParsedAndKeepAliveFollowsTheVersion() throws IOException {
        RequestHead head = RequestHead.read(stream("GET /hello?x=1 HTTP/1.1\r\nHost: h\r\nX-Thing:  spaced \r\n\r\n"));

        assertEquals("GET", head.method());
        assertEquals("/hello", head.path());
        assertEquals("spaced", head.header("x-thing"));
        assertTrue(head.keepAlive());
        assertFalse(RequestHead.read(stream("GET / HTTP/1.0\r\n\r\n")).keepAlive());
        assertFalse(RequestHead.read(stream("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).keepAlive());
    }

    @Test
    void endOfStreamBetweenRequestsIsNotAnError() throws IOException {
        assertNull(RequestHead.read(stream("")));
    }

    @Test
    void malformedRequestLineIsRejected() {
        assertThrows(IOException.class, () -> RequestHead.read(stream("NONSENSE\r\n\r\n")));
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersLeavesTheNextRequestIntact() throws IOException {
        InputStream in = stream("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n");

        assertEquals("hello, world", readAll(RequestBody.open(RequestHead.read(in), in)));
        assertEquals("/next", RequestHead.read(in).path());
    }

    @Test
    void contentLengthBodyStopsAtItsLength() throws IOException {
        InputStream in = stream("POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /next HTTP/1.1\r\n\r\n");

        assertEquals("abc", readAll(RequestBody.open(RequestHead.read(in), in)));
        assertEquals("/next", RequestHead.read(in).path());
    }

    @Test
    void unreadBodyIsDrained() throws IOException {
        InputStream in = stream("PUT /upload HTTP/1.1\r\nContent-Length: 4\r\n\r\nwxyzGET /next HTTP/1.1\r\n\r\n");

        RequestBody.open(RequestHead.read(in), in).drain();

        assertEquals("/next", RequestHead.read(in).path());
    }

    @Test
    void truncatedBodyIsAnError() throws IOException {
        InputStream in = stream("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        RequestBody body = RequestBody.open(RequestHead.read(in), in);

        assertThrows(EOFException.class, () -> readAll(body));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
