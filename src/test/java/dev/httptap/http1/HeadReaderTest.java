package dev.httptap.http1;

import dev.httptap.event.Header;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    void aControlByteFailsOnlyInTheStartLine() throws Http1Exception {
        for (String head : List.of("GET / HTTP/1.1\0\r\n\r\n", "\u0001", "\u0016\u0003\u0001")) {
            assertThrows(Http1Exception.class, () -> new HeadReader().read(bytes(head)), head);
        }
        assertTrue(new HeadReader().read(bytes("GET / HTTP/1.1\r\nA: \u007f\u0000\r\n\r\n")));
    }

    @Test
    void tooManyLeadingEmptyLinesFail() throws Http1Exception {
        assertTrue(new HeadReader().read(bytes("\r\n".repeat(8) + "GET / HTTP/1.1\r\n\r\n")));
        assertThrows(Http1Exception.class, () -> new HeadReader().read(bytes("\r\n".repeat(9) + "GET /")));
    }

    @Test
    void aHeadOfTheLargestSizeIsReadWholeAndALargerOneIsCut() throws Http1Exception {
        // Stored bytes: the line with its LF, then the blank line's CR, and room for one more LF.
        String line = "GET / HTTP/1.1\r\nX: " + "v".repeat(HeadReader.MAX_HEAD_BYTES - 23) + "\r\n";
        assertEquals(HeadReader.MAX_HEAD_BYTES - 2, line.length());
        HeadReader reader = new HeadReader();
        assertTrue(reader.read(bytes(line + "\r\n")));
        RawHead whole = reader.take();
        assertEquals(List.of(), whole.notes());
        assertEquals(1, whole.headers().asList().size());
        assertTrue(reader.read(bytes(line.replace("X: ", "X: vvv") + "\r\n")));
        RawHead cut = reader.take();
        assertEquals(0, cut.headers().asList().size());
        assertEquals(List.of("head of " + (HeadReader.MAX_HEAD_BYTES + 3) + " bytes: only its first 16 bytes are shown"),
                cut.notes());
    }

    @Test
    void aHeadBeyondTheBoundKeepsItsFramingLinesAndEndsWhereTheServerSeesItEnd() throws Http1Exception {
        HeadReader reader = new HeadReader();
        String start = "POST /big HTTP/1.1\r\nHost: h\r\n";
        assertFalse(reader.read(bytes(start)));
        for (int i = 0; i < 1000; i++) { // 100 KB of fields, a read at a time
            assertFalse(reader.read(bytes("X-" + i + ": " + "y".repeat(90) + "\r\n")));
        }
        ByteBuffer rest = bytes("content-length : 5\nTransfer-Encoding: " + "z".repeat(300) + "\r\n\r\nhello");
        assertTrue(reader.read(rest));
        assertEquals(5, rest.remaining());
        RawHead head = reader.take();
        assertEquals("POST /big HTTP/1.1", head.startLine());
        assertEquals(Optional.of("5"), head.headers().first("content-length "));
        assertFalse(head.headers().contains("Transfer-Encoding"), "a framing line too long to keep");
        assertTrue(head.headers().asList().size() < 1000);
        assertTrue(head.notes().get(0).startsWith("head of "), head.notes().toString());
        assertTrue(head.notes().get(0).endsWith(" bytes are shown"), head.notes().toString());
    }

    @Test
    void aStartLineBeyondTheBoundIsKeptCutWithItsLastWordAndHostAndFramingLines() throws Http1Exception {
        HeadReader reader = new HeadReader();
        assertFalse(reader.read(bytes("GET /" + "y".repeat(100_000))));
        assertTrue(reader.read(bytes("y".repeat(100) + " \tHTTP/1.0\r\nX-A: b\r\nHost: h\r\nContent-Length: 0\r\n\r\n")));
        RawHead head = reader.take();
        int kept = HeadReader.MAX_HEAD_BYTES - 1;
        assertEquals("GET /" + "y".repeat(kept - 5) + " HTTP/1.0", head.startLine());
        assertEquals(List.of("Host", "Content-Length"), head.headers().asList().stream().map(Header::name).toList());
        assertEquals(List.of("start line of 100116 bytes: only its first " + kept + " bytes and its last word are shown",
                "head of 100155 bytes: only its first " + kept + " bytes are shown"), head.notes());
    }

    @Test
    void aStartLineBeyondTheBoundWithoutALastWordKeepsItsFirstBytes() throws Http1Exception {
        HeadReader reader = new HeadReader();
        assertTrue(reader.read(bytes("y".repeat(70_000) + "\n\n")));
        assertEquals("y".repeat(HeadReader.MAX_HEAD_BYTES - 1), reader.take().startLine());
    }
}
