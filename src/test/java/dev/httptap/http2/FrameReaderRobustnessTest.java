package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged input never escapes as anything but {@link Http2Exception}: valid conversations with bytes
 * flipped at random, and plain noise, read by a frame reader whose handler decodes every header block.
 */
class FrameReaderRobustnessTest {
    private static final int ROUNDS = 2000;

    @Test
    void flippedBytesInValidFramesOnlyEverRaiseHttp2Exception() {
        byte[] valid = new Http2Frames().preface().settingsHeaderTableSize(8192)
                .request(1, false, "POST", "https", "api.example.test", "/a", "content-type", "text/plain")
                .paddedData(1, false, "some body", 5).requestInPieces(3, 20, "GET", "api.example.test", "/b",
                        "cookie", "c=" + "x".repeat(80))
                .rstStream(1, 8).ping().goAway(3, 0).take();
        Random random = new Random(42);
        int rejected = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] damaged = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[FrameReader.CLIENT_PREFACE.length + random.nextInt(damaged.length
                        - FrameReader.CLIENT_PREFACE.length)] = (byte) random.nextInt(256);
            }
            rejected += readAll(damaged) ? 0 : 1;
        }
        assertTrue(rejected > 0, "some damage must be noticed");
    }

    @Test
    void noiseAfterThePrefaceOnlyEverRaisesHttp2Exception() {
        Random random = new Random(7);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            readAll(new Http2Frames().preface().raw(noise).take());
        }
    }

    /** True when the bytes were read without a complaint. */
    private static boolean readAll(byte[] bytes) {
        HeaderBlockDecoder decoder = new HeaderBlockDecoder();
        FrameReader reader = FrameReader.client(new DecodingHandler(decoder));
        try {
            reader.read(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
            return true;
        } catch (Http2Exception e) {
            return false;
        }
    }

    private record DecodingHandler(HeaderBlockDecoder decoder) implements FrameReader.Handler {
        @Override
        public void onHeaders(int streamId, ByteBuffer block, boolean endStream) throws Http2Exception {
            decode(block);
        }

        @Override
        public void onPushPromise(int streamId, int promisedStreamId, ByteBuffer block) throws Http2Exception {
            decode(block);
        }

        private void decode(ByteBuffer block) throws Http2Exception {
            try {
                decoder.decode(block);
            } catch (HeaderBlockDecoder.MalformedStreamException e) {
                // only the stream is lost
            }
        }

        @Override
        public void onData(int streamId, ByteBuffer content) {
            assertTrue(content.isReadOnly());
        }

        @Override
        public void onDataEndStream(int streamId) {
        }

        @Override
        public void onRstStream(int streamId, int errorCode) {
        }

        @Override
        public void onHeaderTableSize(long bytes) {
            decoder.allowTableSize(bytes);
        }

        @Override
        public void onGoAway(int lastStreamId, int errorCode) {
        }
    }
}
