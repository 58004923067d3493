package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import dev.httptap.fuzz.FuzzedPieces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 frame reader (with HPACK decoding of each header block, as a connection does) on arbitrary
 * bytes and on frames built from fuzzed fields, and the header block decoder alone. The frame reader's
 * events do not depend on how the bytes are split; decoded header lists stay within their bound; fields
 * HPACK-encoded by Jetty decode back to themselves.
 */
class Http2FuzzTest {
    private static final int[] FRAME_TYPES = {FrameHeader.DATA, FrameHeader.HEADERS, FrameHeader.PRIORITY,
            FrameHeader.RST_STREAM, FrameHeader.SETTINGS, FrameHeader.PUSH_PROMISE, FrameHeader.PING,
            FrameHeader.GOAWAY, FrameHeader.WINDOW_UPDATE, FrameHeader.CONTINUATION, 0xfa};

    @FuzzTest
    void frames(FuzzedDataProvider data) {
        boolean client = data.consumeBoolean();
        int[] cuts = FuzzedPieces.cuts(data);
        byte[] bytes = data.consumeBoolean() ? builtFrames(data, client) : data.consumeRemainingAsBytes();
        assertEquals(events(bytes, new int[0], client), events(bytes, cuts, client), "the same bytes split differently");
    }

    /** Frames of fuzzed types, flags, streams and payloads, some with real header blocks. */
    private static byte[] builtFrames(FuzzedDataProvider data, boolean client) {
        Http2Frames frames = new Http2Frames();
        if (client) {
            frames.preface();
        }
        for (int count = data.consumeInt(1, 12); count > 0 && data.remainingBytes() > 0; count--) {
            int streamId = data.consumeInt(0, 5);
            if (data.consumeBoolean()) {
                frames.response(streamId, data.consumeBoolean(), data.consumeInt(100, 599),
                        "x-" + letters(data.consumeAsciiString(8)), visible(data.consumeAsciiString(40)));
            } else {
                frames.frame(data.pickValue(FRAME_TYPES), data.consumeInt(0, 255), streamId,
                        data.consumeBytes(data.consumeInt(0, 300)));
            }
        }
        return frames.take();
    }

    /** What the reader reported, DATA joined per frame so that the split does not show, then any refusal. */
    private static String events(byte[] bytes, int[] cuts, boolean client) {
        RecordingHandler handler = new RecordingHandler();
        FrameReader reader = client ? FrameReader.client(handler) : FrameReader.server(handler);
        try {
            for (ByteBuffer piece : FuzzedPieces.pieces(bytes, cuts)) {
                reader.read(piece);
                assertTrue(!piece.hasRemaining(), "the reader takes every byte it is given");
            }
        } catch (Http2Exception refused) {
            handler.events.add("refused: " + refused.getMessage());
        }
        return String.join("\n", handler.events);
    }

    /** Notes each event; DATA pieces of one stream in a row are joined. Header blocks are decoded. */
    private static final class RecordingHandler implements FrameReader.Handler {
        final List<String> events = new ArrayList<>();
        private final HeaderBlockDecoder decoder = new HeaderBlockDecoder();

        @Override
        public void onHeaders(int streamId, ByteBuffer block, boolean endStream) throws Http2Exception {
            events.add("headers " + streamId + " " + endStream + " " + decoded(block));
        }

        @Override
        public void onData(int streamId, ByteBuffer content) {
            String text = StandardCharsets.ISO_8859_1.decode(content).toString();
            String last = events.isEmpty() ? "" : events.get(events.size() - 1);
            String prefix = "data " + streamId + " ";
            if (last.startsWith(prefix)) {
                events.set(events.size() - 1, last + text);
            } else {
                events.add(prefix + text);
            }
        }

        @Override
        public void onDataEndStream(int streamId) {
            events.add("end " + streamId);
        }

        @Override
        public void onPushPromise(int streamId, int promisedStreamId, ByteBuffer block) throws Http2Exception {
            events.add("push " + streamId + " " + promisedStreamId + " " + decoded(block));
        }

        @Override
        public void onRstStream(int streamId, int errorCode) {
            events.add("rst " + streamId + " " + errorCode);
        }

        @Override
        public void onHeaderTableSize(long bytes) {
            decoder.allowTableSize(bytes);
            events.add("table " + bytes);
        }

        @Override
        public void onGoAway(int lastStreamId, int errorCode) {
            events.add("goaway " + lastStreamId + " " + errorCode);
        }

        private String decoded(ByteBuffer block) throws Http2Exception {
            assertTrue(block.remaining() <= FrameReader.MAX_HEADER_BLOCK_BYTES, "header block bound");
            try {
                HeaderBlock head = decoder.decode(block);
                assertWithinBound(head);
                return head.toString();
            } catch (HeaderBlockDecoder.MalformedStreamException e) {
                return "malformed: " + e.getMessage();
            }
        }
    }

    @FuzzTest
    void headerBlock(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            encodedFieldsDecodeBack(data);
            return;
        }
        HeaderBlockDecoder decoder = new HeaderBlockDecoder();
        decoder.allowTableSize(data.consumeLong(0, 1L << 32));
        // Several blocks in a row, so that the dynamic table carries over as on a connection.
        for (int blocks = data.consumeInt(1, 4); blocks > 0; blocks--) {
            byte[] block = blocks == 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 500));
            try {
                assertWithinBound(decoder.decode(ByteBuffer.wrap(block)));
            } catch (HeaderBlockDecoder.MalformedStreamException malformed) {
                // this stream is lost, the table is in step: the next block is still read
            } catch (Http2Exception refused) {
                return; // the table is lost with the connection
            }
        }
    }

    private static void encodedFieldsDecodeBack(FuzzedDataProvider data) {
        List<String> namesAndValues = new ArrayList<>();
        for (int count = data.consumeInt(0, 6); count > 0; count--) {
            namesAndValues.add("x-" + letters(data.consumeAsciiString(12)));
            namesAndValues.add(visible(data.consumeAsciiString(60)));
        }
        int status = data.consumeInt(200, 599);
        byte[] frame = new Http2Frames().response(1, false, status, namesAndValues.toArray(String[]::new)).take();
        ByteBuffer block = ByteBuffer.wrap(frame, FrameHeader.SIZE, frame.length - FrameHeader.SIZE);
        try {
            HeaderBlock decoded = new HeaderBlockDecoder().decode(block);
            assertEquals(HeaderBlock.response(status, Headers.of(namesAndValues.toArray(String[]::new))), decoded);
        } catch (Http2Exception | HeaderBlockDecoder.MalformedStreamException e) {
            throw new AssertionError("Jetty's encoding of " + namesAndValues + " does not decode", e);
        }
    }

    private static String letters(String text) {
        return text.toLowerCase().replaceAll("[^a-z]", "");
    }

    private static String visible(String text) {
        return text.replaceAll("[^!-~]", "");
    }

    /** RFC 7541's size of a header list (name + value + 32 per field) within the decoder's bound. */
    private static void assertWithinBound(HeaderBlock head) {
        long size = 0;
        for (Header field : head.withPseudoHeaders()) {
            size += field.name().length() + field.value().length() + 32;
        }
        assertTrue(size <= HeaderBlockDecoder.MAX_HEADER_LIST_BYTES + 4 * 32 + 64, "header list of " + size + " bytes");
    }
}
