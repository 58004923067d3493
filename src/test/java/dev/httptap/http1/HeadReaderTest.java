package dev.httptap.http1;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadReaderTest {
    private static final String HEAD = "\r\nGET /a HTTP/1.1\r\nHost: h\nX-Obs: caf\u00e9\t!\r\n\r\n";
    private static final String BODY = "body\r\n\r\nmore";

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads a head and what follows it in the given pieces: the head, then the bytes left after it. */
    private static List<String> readInPieces(String stream, int... cuts) throws Http1Exception {
        HeadReader reader = new HeadReader();
        List<String> out = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length();
            ByteBuffer piece = bytes(stream.substring(from, to));
            if (out.isEmpty() && reader.read(piece)) {
                RawHead head = reader.take();
                out.add(head.startLine() + " " + head.headers().asList());
            }
            rest.append(StandardCharsets.ISO_8859_1.decode(piece));
            from = to;
        }
        out.add(rest.toString());
        return out;
    }

    @Test
    void aHeadSplitAtEveryByteBoundaryReadsAsWhole() throws Http1Exception {
        String stream = HEAD + BODY;
        List<String> whole = readInPieces(stream);
        assertEquals(List.of("GET /a HTTP/1.1 [Host: h, X-Obs: caf\u00e9\t!]", BODY), whole);
        for (int cut = 0; cut <= stream.length(); cut++) {
            assertEquals(whole, readInPieces(stream, cut), "cut at " + cut);
        }
        int[] everyByte = new int[stream.length() - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, readInPieces(stream, everyByte));
    }

    @Test
    void theReaderIsReadyForTheNextHeadAfterTake() throws Http1Exception {
        HeadReader reader = new HeadReader();
        ByteBuffer two = bytes("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        assertTrue(reader.read(two));
        assertEquals("GET /1 HTTP/1.1", reader.take().startLine());
        assertTrue(reader.read(two));
        assertEquals("GET /2 HTTP/1.1", reader.take().startLine());
        assertFalse(two.hasRemaining());
    }

    @Test
    void aControlByteFailsWhereverItIs() {
        for (String head : List.of("GET / HTTP/1.1\0\r\n\r\n", "\u0001", "GET / HTTP/1.1\r\nA: \u007f\r\n\r\n")) {
            assertThrows(Http1Exception.class, () -> new HeadReader().read(bytes(head)), head);
        }
    }

    @Test
    void tooManyLeadingEmptyLinesFail() throws Http1Exception {
        assertTrue(new HeadReader().read(bytes("\r\n".repeat(8) + "GET / HTTP/1.1\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> new HeadReader().read(bytes("\r\n".repeat(9) + "GET /")));
    }

    @Test
    void aHeadOfTheLargestSizeIsReadAndOneByteMoreFails() throws Http1Exception {
        // Stored bytes: the line with its LF, then the blank line's CR.
        String line = "GET / HTTP/1.1\r\nX: " + "v".repeat(HeadReader.MAX_HEAD_BYTES - 22) + "\r\n";
        assertEquals(HeadReader.MAX_HEAD_BYTES - 1, line.length());
        assertTrue(new HeadReader().read(bytes(line + "\r\n")));
        assertThrows(Http1Exception.class, () -> new HeadReader().read(bytes("v" + line + "\r\n")));
        assertThrows(Http1Exception.class, () -> {
            HeadReader reader = new HeadReader();
            for (int i = 0; i < 1000; i++) {
                reader.read(bytes("y".repeat(100)));
            }
        });
    }
}
