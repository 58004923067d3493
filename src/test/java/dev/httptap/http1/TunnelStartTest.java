package dev.httptap.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a CONNECT tunnel starts in a child's conversation with a proxy, and when there is none to find. */
class TunnelStartTest {
    private static final String CONNECT = "CONNECT api.example.test:443 HTTP/1.1\r\n\r\n";
    private final TunnelStart start = new TunnelStart();

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readingStopsJustAfterTheConnectsHeadAndAfterItsAnswersHead() {
        ByteBuffer requests = bytes(CONNECT + "<ClientHello>");
        start.readRequests(requests);
        assertEquals(CONNECT.length(), requests.position());
        assertEquals("api.example.test:443", start.pendingConnect().orElseThrow().target());

        String answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n";
        ByteBuffer responses = bytes(answer + "<ServerHello>");
        start.readResponses(responses);
        assertTrue(start.isOpened());
        assertEquals(answer.length(), responses.position(), "a 2xx to CONNECT has no body, whatever it says");
    }

    @Test
    void aRefusalIsReadToTheEndOfItsBodyThenRequestsAgain() {
        start.readRequests(bytes(CONNECT));
        String refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno";
        ByteBuffer responses = bytes(refusal + "HTTP/1.1 200 OK\r\n\r\n");
        start.readResponses(responses);
        assertEquals(refusal.length(), responses.position());
        assertTrue(start.pendingConnect().isEmpty());
        assertFalse(start.isOpened() || start.isLost());

        start.readRequests(bytes(CONNECT));
        start.readResponses(responses);
        assertTrue(start.isOpened());
    }

    @Test
    void whatIsNotAConversationWithAProxyLosesTheWatch() {
        String tooMany = ("GET http://a.test/ HTTP/1.1\r\n\r\n").repeat(TunnelStart.MAX_UNANSWERED + 1);
        String[][] cases = {
                {"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", ""},
                {"\u0016\u0003\u0001 a ClientHello", ""},
                {"POST http://a.test/ HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", ""},
                {tooMany, ""},
                {"PING\r\n", ""}, // a protocol line by line, no head to end
                {"", "HTTP/1.1 200 OK\r\n\r\n"}, // an answer to nothing: a server that speaks first
                {"GET http://a.test/ HTTP/1.1\r\n\r\n", "+PONG\r\n"},
                {CONNECT, "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"}, // refused to the close
                {"GET http://a.test/ HTTP/1.1\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\n"}, // answered to the close
        };
        for (String[] exchange : cases) {
            TunnelStart other = new TunnelStart();
            other.readRequests(bytes(exchange[0]));
            if (!other.isLost()) {
                other.readResponses(bytes(exchange[1]));
            }
            assertTrue(other.isLost(), () -> exchange[0] + exchange[1]);
            assertFalse(other.isOpened());
        }
    }
}
