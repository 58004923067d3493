package dev.httptap.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthMeterTest {
    /** Text that compresses, but not to nothing: 600 KiB of numbered lines. */
    private static final byte[] TEXT = lines(20_000);

    @Test
    void noCodingNeedsNoMeter() {
        assertEquals(Optional.empty(), BodyDecoder.meter(List.of()));
        assertEquals(Optional.empty(), BodyDecoder.meter(List.of("identity")));
    }

    @Test
    void gzipIsCountedDecodedWhateverTheChunks() throws IOException {
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        for (int chunk : new int[] {1, 7, 1460, gzip.length}) {
            LengthMeter meter = measure(gzip, chunk, true, "gzip");
            assertEquals(TEXT.length, meter.decodedBytes(), "chunks of " + chunk);
            assertEquals(gzip.length, meter.encodedBytes());
            assertNull(meter.problem());
        }
    }

    @Test
    void zstdIsCountedAsItArrives() {
        byte[] zstd = zstd(TEXT);
        for (int chunk : new int[] {1, 1000, zstd.length}) {
            assertEquals(TEXT.length, measure(zstd, chunk, true, "zstd").decodedBytes(), "chunks of " + chunk);
        }
    }

    @Test
    void brotliIsCountedAsItArrivesPastWhatItHoldsBack() {
        byte[] random = new byte[3 * BrotliStage.holdBytes(0) + 12_345];
        new Random(7).nextBytes(random);
        byte[] brotli = StoredBrotli.encode(random);
        for (int chunk : new int[] {1000, 65536, brotli.length}) {
            assertEquals(random.length, measure(brotli, chunk, true, "br").decodedBytes(), "chunks of " + chunk);
        }
        // A real encoder's output, compressed meta-blocks.
        assertEquals("hello, brotli\n".length(), measure(hex("8f068068656c6c6f2c2062726f746c690a03"), 1, true, "br")
                .decodedBytes());
    }

    @Test
    void brotliHoldsBackAtMostItsBoundWhileFed() {
        byte[] random = new byte[4 * BrotliStage.holdBytes(0)];
        new Random(8).nextBytes(random);
        byte[] brotli = StoredBrotli.encode(random);
        long[] decodedSoFar = {0};
        StageChain chain = new StageChain(List.of(new BrotliStage()), "br", output -> {
            decodedSoFar[0] += output.remaining();
            return true;
        });
        int half = brotli.length / 2;
        chain.feed(ByteBuffer.wrap(brotli, 0, half));
        assertTrue(decodedSoFar[0] >= half - 2 * BrotliStage.holdBytes(0),
                "decoded while fed: " + decodedSoFar[0] + " of " + half);
        chain.feed(ByteBuffer.wrap(brotli, half, brotli.length - half));
        chain.end(true);
        assertEquals(random.length, decodedSoFar[0]);
        assertNull(chain.failure());
    }

    @Test
    void brotliHoldsBackAWindowOfInputAsItsFirstByteSays() {
        assertEquals((1 << 16) + (1 << 13) + 65536, BrotliStage.holdBytes(0x00)); // "0": 16 bits
        assertEquals((1 << 22) + (1 << 19) + 65536, BrotliStage.holdBytes(0x0b)); // "1" "101": 17 + 5
        assertEquals((1 << 24) + (1 << 21) + 65536, BrotliStage.holdBytes(0x0f)); // "1" "111": 24 bits
        assertEquals((1 << 10) + (1 << 7) + 65536, BrotliStage.holdBytes(0x21)); // "1" "000" "010": 8 + 2
        assertEquals((1 << 17) + (1 << 14) + 65536, BrotliStage.holdBytes(0x01)); // "1" "000" "000": 17 bits
    }

    @Test
    void aBrotliWindowOverItsMemoryBudgetIsNotDecoded() {
        byte[] random = new byte[100_000];
        new Random(9).nextBytes(random);
        byte[] brotli = StoredBrotli.encode(random); // a 64 KiB window: about 270 KiB held with the input
        LengthMeter refused = new LengthMeter(List.of(new BrotliStage(256 * 1024)), "br");
        refused.append(ByteBuffer.wrap(brotli));
        refused.end(true);
        assertEquals("not decoded: br needs 1 MiB, over a quarter of the heap", refused.problem());
        LengthMeter decoded = new LengthMeter(List.of(new BrotliStage(512 * 1024)), "br");
        decoded.append(ByteBuffer.wrap(brotli));
        decoded.end(true);
        assertEquals(random.length, decoded.decodedBytes());
    }

    @Test
    void stackedCodingsAreCountedThrough() throws IOException {
        byte[] gzipThenZstd = zstd(BodyDecoderTest.gzip(TEXT));
        assertEquals(TEXT.length, measure(gzipThenZstd, 4096, true, "gzip, zstd").decodedBytes());
        byte[] deflateThenBrotli = StoredBrotli.encode(BodyDecoderTest.deflate(TEXT, false));
        assertEquals(TEXT.length, measure(deflateThenBrotli, 4096, true, "deflate", "br").decodedBytes());
    }

    @Test
    void aBodyThatDoesNotDecodeSaysSo() {
        byte[] text = "not gzip at all".getBytes(StandardCharsets.UTF_8);
        LengthMeter meter = measure(text, 4, true, "gzip");
        assertEquals(-1, meter.decodedBytes());
        assertEquals("not decodable as gzip", meter.problem());
        assertEquals("not decodable as zstd", measure(text, 4, true, "zstd").problem());
        assertEquals("not decodable as br", measure(hex("ffffffffffffffff"), 4, true, "br").problem());
    }

    @Test
    void unknownAndTooDeepCodingsAreNotDecoded() {
        byte[] body = {1, 2, 3};
        assertEquals("not decodable as compress", measure(body, 3, true, "compress").problem());
        assertEquals("not decoded: 6 stacked codings", measure(body, 3, true, "gzip, gzip, gzip, gzip, gzip, gzip").problem());
        assertEquals(3, BodyDecoder.meter(List.of("compress")).map(m -> {
            m.append(ByteBuffer.wrap(body));
            return m.encodedBytes();
        }).orElseThrow());
    }

    @Test
    void aCompleteBodyWhoseStreamStopsEarlyIsNotDecodableButACutOneCountsWhatCame() throws IOException {
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        byte[] cut = Arrays.copyOf(gzip, gzip.length / 2);
        assertEquals("not decodable as gzip", measure(cut, 1000, true, "gzip").problem());
        LengthMeter incomplete = measure(cut, 1000, false, "gzip");
        assertNull(incomplete.problem());
        assertTrue(incomplete.decodedBytes() > 0 && incomplete.decodedBytes() < TEXT.length, "" + incomplete.decodedBytes());
    }

    @Test
    void anEmptyBodyIsZeroBytesWhateverItsCoding() {
        for (String coding : List.of("gzip", "deflate", "br", "zstd", "gzip, br")) {
            LengthMeter meter = BodyDecoder.meter(List.of(coding)).orElseThrow();
            meter.end(true);
            assertEquals(0, meter.decodedBytes(), coding);
            assertNull(meter.problem(), coding);
        }
    }

    @Test
    void aDecompressionBombStopsAtItsExpansionBound() throws IOException {
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros); // 64 MiB that gzip makes about 64 KiB of
            }
        }
        byte[] bomb = bytes.toByteArray();
        LengthMeter meter = measure(bomb, 8192, true, "gzip");
        assertEquals(-1, meter.decodedBytes());
        assertEquals("not decoded: gzip expands over " + LengthMeter.MAX_EXPANSION + "-fold", meter.problem());
        // Under the bound, the same ratio is counted.
        byte[] small = BodyDecoderTest.gzip(new byte[1 << 20]);
        assertEquals(1 << 20, measure(small, 8192, true, "gzip").decodedBytes());
    }

    private static LengthMeter measure(byte[] body, int chunk, boolean complete, String... codings) {
        LengthMeter meter = BodyDecoder.meter(List.of(codings)).orElseThrow();
        for (int at = 0; at < body.length; at += chunk) {
            meter.append(ByteBuffer.wrap(body, at, Math.min(chunk, body.length - at)).asReadOnlyBuffer());
        }
        meter.end(complete);
        return meter;
    }

    private static byte[] lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("line ").append(i).append(" of the body, ").append(i * 7919 % 10007).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] zstd(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
