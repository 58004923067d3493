package dev.httptap.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.event.Header;
import dev.httptap.fuzz.FuzzedPieces;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1 head reader and parser and the chunked decoder on arbitrary bytes. However the bytes are
 * split over reads, the outcome is the same (TCP splits them anywhere); what they yield stays within the
 * documented bounds; a chunked body encoded from fuzzed chunks decodes back to exactly its bytes.
 */
class Http1FuzzTest {
    @FuzzTest
    void head(FuzzedDataProvider data) {
        int[] cuts = FuzzedPieces.cuts(data);
        byte[] bytes = data.consumeRemainingAsBytes();
        String whole = heads(bytes, new int[0]);
        assertEquals(whole, heads(bytes, cuts), "the same bytes split differently");
    }

    /** The heads read from {@code bytes} fed in pieces, then the refusal if any, as text to compare. */
    private static String heads(byte[] bytes, int[] cuts) {
        HeadReader reader = new HeadReader();
        StringBuilder outcome = new StringBuilder();
        try {
            for (ByteBuffer piece : FuzzedPieces.pieces(bytes, cuts)) {
                while (piece.hasRemaining()) {
                    if (reader.read(piece)) {
                        RawHead head = reader.take();
                        checkBounds(head);
                        outcome.append(head).append('\n');
                    }
                }
            }
        } catch (Http1Exception refused) {
            outcome.append("refused: ").append(refused.getMessage());
        }
        return outcome.toString();
    }

    private static void checkBounds(RawHead head) {
        assertTrue(head.headers().size() <= HeadParser.MAX_HEADER_COUNT + HeadParser.MAX_EXTRA_FRAMING_FIELDS,
                "header count");
        assertTrue(head.startLine().length() < HeadReader.MAX_HEAD_BYTES, "start line length");
        assertTrue(head.startLine().indexOf('\n') < 0 && !head.startLine().isEmpty(), "start line");
        for (Header field : head.headers()) {
            // Names keep the spelling the peer sent (servers answer odd ones themselves), but one line each.
            assertTrue(!field.name().isEmpty() && field.name().indexOf(':') < 0 && field.name().indexOf('\n') < 0,
                    "field name: " + field.name());
            assertTrue(field.value().indexOf('\n') < 0, "no line end in a value");
        }
        try {
            assertTrue(StartLines.response(head).status() >= 100);
        } catch (Http1Exception notAStatusLine) {
            // the documented refusal
        }
        try {
            assertTrue(Tokens.isToken(StartLines.request(head).method()));
        } catch (Http1Exception notARequestLine) {
            // the documented refusal
        }
    }

    @FuzzTest
    void chunked(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            encodedBodyDecodesBack(data);
            return;
        }
        int[] cuts = FuzzedPieces.cuts(data);
        byte[] bytes = data.consumeRemainingAsBytes();
        String whole = chunkedOutcome(bytes, new int[0]);
        assertEquals(whole, chunkedOutcome(bytes, cuts), "the same bytes split differently");
    }

    /** The body bytes (as ISO-8859-1) and how the body ended, for {@code bytes} fed in pieces. */
    private static String chunkedOutcome(byte[] bytes, int[] cuts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChunkedBodyReader reader = new ChunkedBodyReader(slice -> body.write(copy(slice), 0, slice.remaining()));
        String end = "unfinished";
        try {
            for (ByteBuffer piece : FuzzedPieces.pieces(bytes, cuts)) {
                if (reader.read(piece)) {
                    end = "done, " + piece.remaining() + " bytes after it in the last piece";
                    break;
                }
            }
        } catch (Http1Exception refused) {
            end = "refused: " + refused.getMessage();
        }
        assertTrue(body.size() <= bytes.length, "more body than input");
        return body.toString(StandardCharsets.ISO_8859_1) + "|" + (end.startsWith("done") ? "done" : end);
    }

    private static void encodedBodyDecodesBack(FuzzedDataProvider data) {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        for (int chunks = data.consumeInt(0, 8); chunks > 0; chunks--) {
            byte[] chunk = data.consumeBytes(data.consumeInt(1, 3000));
            if (chunk.length == 0) {
                break;
            }
            expected.writeBytes(chunk);
            String size = Integer.toHexString(chunk.length);
            encoded.writeBytes(ascii((data.consumeBoolean() ? size.toUpperCase() : size)
                    + (data.consumeBoolean() ? ";name=\"value\"" : "") + "\r\n"));
            encoded.writeBytes(chunk);
            encoded.writeBytes(ascii("\r\n"));
        }
        encoded.writeBytes(ascii("0\r\n" + (data.consumeBoolean() ? "Trailer-Field: x\r\n" : "") + "\r\n"));
        byte[] bytes = encoded.toByteArray();
        String outcome = chunkedOutcome(bytes, FuzzedPieces.cuts(data));
        assertEquals(expected.toString(StandardCharsets.ISO_8859_1) + "|done", outcome);
    }

    private static byte[] copy(ByteBuffer slice) {
        byte[] bytes = new byte[slice.remaining()];
        slice.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
