package dev.httptap.sniff;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.httptap.sniff.ProtocolGuess.HTTP1;
import static dev.httptap.sniff.ProtocolGuess.HTTP2_PREFACE;
import static dev.httptap.sniff.ProtocolGuess.NEED_MORE;
import static dev.httptap.sniff.ProtocolGuess.OTHER;
import static dev.httptap.sniff.ProtocolGuess.TLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProtocolGuessTest {
    private static ProtocolGuess guess(String text) {
        return ProtocolGuess.of(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void requestLines() {
        assertEquals(HTTP1, guess("GET / HTTP/1.1\r\n"));
        assertEquals(HTTP1, guess("M-SEARCH * HTTP/1.1"));
        assertEquals(HTTP1, guess("CONNECT example.test:443 HTTP/1.1"));
        assertEquals(HTTP1, guess("PRI /not-the-preface HTTP/1.1"));
        assertEquals(NEED_MORE, guess(""));
        assertEquals(NEED_MORE, guess("GE"));
        assertEquals(NEED_MORE, guess("GET "));
    }

    @Test
    void requestLinesAsLenientServersReadThem() {
        assertEquals(HTTP1, guess("get / HTTP/1.1"));
        assertEquals(HTTP1, guess("GET  /"));
        assertEquals(HTTP1, guess("GET\t/ HTTP/1.1"));
        assertEquals(HTTP1, guess("\r\nGET / HTTP/1.1"));
        assertEquals(NEED_MORE, guess("\r\n"));
        assertEquals(NEED_MORE, guess("GET \t "));
        assertEquals(OTHER, guess("\r\n".repeat(3) + "GET /"));
        assertEquals(OTHER, guess("GET" + " ".repeat(ProtocolGuess.MAX_SPACES + 1) + "/"));
    }

    @Test
    void otherProtocols() {
        assertEquals(TLS, guess("\u0016\u0003\u0001\u0002\u0000"));
        assertEquals(NEED_MORE, guess("\u0016"));
        assertEquals(OTHER, guess("\u0016\u0001"));
        assertEquals(HTTP2_PREFACE, guess("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        assertEquals(NEED_MORE, guess("PRI * HTTP"));
        assertEquals(OTHER, guess("EHLO\r\n"));
        assertEquals(HTTP1, guess("EHLO me\r\n")); // only a guess: the HTTP/1 parser has the last word
        assertEquals(OTHER, guess(" GET /"));
        assertEquals(OTHER, guess("SSH-2.0-OpenSSH_9.6 Ubuntu"));
        assertEquals(OTHER, guess("\u0000\u0000\u0000\u0018"));
        assertEquals(OTHER, guess("A".repeat(ProtocolGuess.MAX_METHOD_CHARS + 1) + " /"));
    }

    @Test
    void theGuessIsAlwaysDecidedAfterTheDecisiveBytes() {
        Random random = new Random(3);
        String alphabet = "GETPOS /\t\r\n\u0016\u0003AZaz-_*PRI";
        for (int round = 0; round < 10_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < ProtocolGuess.DECISIVE_BYTES; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertNotEquals(NEED_MORE, guess(text.toString()), text.toString());
        }
        assertNotEquals(NEED_MORE, guess("A".repeat(ProtocolGuess.MAX_METHOD_CHARS) + " /"));
        assertNotEquals(NEED_MORE, guess("\r\n\r\n" + "A".repeat(ProtocolGuess.MAX_METHOD_CHARS)
                + " ".repeat(ProtocolGuess.MAX_SPACES) + "/"));
    }

    @Test
    void looksWithoutMovingTheBuffer() {
        ByteBuffer bytes = ByteBuffer.wrap("xxGET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
        bytes.position(2);
        assertEquals(HTTP1, ProtocolGuess.of(bytes));
        assertEquals(2, bytes.position());
    }
}
