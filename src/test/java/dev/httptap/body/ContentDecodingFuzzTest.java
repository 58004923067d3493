package dev.httptap.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.fuzz.FuzzedPieces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The content decoders (gzip, deflate, br, zstd, stacked, and Content-Encoding lists of any length) on
 * arbitrary bodies, on bodies encoded from fuzzed text, and on decompression bombs. Whatever the body,
 * what is kept is at most the print limit; what was encoded decodes back to its first bytes; a bomb costs
 * no more than an ordinary body.
 */
class ContentDecodingFuzzTest {
    private static final String[] TOKENS = {"gzip", "deflate", "br", "zstd", "x-gzip", "identity", "GZIP", "compress"};
    /** 64 MiB of zeros, encoded once: about 64 KiB of gzip. */
    private static final byte[] GZIP_BOMB = gzipOfZeros(64L << 20);

    @FuzzTest
    void contentDecoding(FuzzedDataProvider data) {
        int printLimit = data.consumeInt(0, 8192);
        boolean complete = data.consumeBoolean();
        int mode = data.consumeInt(0, 3);
        List<String> codings = new ArrayList<>();
        byte[] plain = null;
        byte[] body;
        switch (mode) {
            case 0 -> { // text encoded with one or two codings this test can encode
                for (int count = data.consumeInt(1, 2); count > 0; count--) {
                    codings.add(data.pickValue(new String[] {"gzip", "deflate", "zstd", "br"}));
                }
                plain = data.consumeBytes(data.consumeInt(0, 20000));
                body = encode(plain, codings, data.consumeBoolean());
            }
            case 1 -> { // a bomb, under its own coding or stacked
                codings.add("gzip");
                if (data.consumeBoolean()) {
                    codings.add(0, data.pickValue(TOKENS));
                }
                body = GZIP_BOMB;
            }
            case 2 -> { // a Content-Encoding list of any length, over any bytes
                codings.addAll(Collections.nCopies(data.consumeInt(1, 3000), data.pickValue(TOKENS)));
                body = data.consumeBytes(4096);
            }
            default -> { // any bytes under any codings
                for (int count = data.consumeInt(1, 3); count > 0; count--) {
                    codings.add(data.pickValue(TOKENS));
                }
                body = data.consumeRemainingAsBytes();
            }
        }
        int[] cuts = FuzzedPieces.cuts(data);
        List<String> contentEncoding = List.of(String.join(", ", codings));
        BodyRecorder recorder = new BodyDecoder(printLimit).recorder(contentEncoding);
        LengthMeter meter = BodyDecoder.meter(contentEncoding).orElse(null);
        for (ByteBuffer piece : FuzzedPieces.pieces(body, cuts)) {
            recorder.append(piece.asReadOnlyBuffer());
            if (meter != null) {
                meter.append(piece.asReadOnlyBuffer());
            }
        }
        DecodedBody shown = recorder.result(complete);
        if (meter != null) {
            meter.end(complete);
            assertTrue(meter.decodedBytes() >= 0 ^ meter.problem() != null, "a length or a reason, never both");
            assertEquals(body.length, meter.encodedBytes());
        }

        assertTrue(shown.bytes().length <= printLimit, "kept " + shown.bytes().length + " bytes over the limit");
        if (plain != null && complete) {
            assertEquals(java.util.Optional.empty(), shown.failure(), "an encoded body failed to decode");
            assertArrayEquals(Arrays.copyOf(plain, Math.min(plain.length, printLimit)), shown.bytes());
            assertEquals(plain.length > printLimit, shown.cut(), "cut exactly when longer than the limit");
            assertEquals(plain.length, meter.decodedBytes(), "the decoded length, counted");
        }
        if (mode == 1 && codings.size() == 1) {
            assertTrue(shown.cut() || printLimit == 0, "a bomb is shown cut");
            assertEquals("not decoded: gzip expands over " + LengthMeter.MAX_EXPANSION + "-fold", meter.problem());
        }
    }

    /** {@code plain} with {@code codings} applied in order (the first listed was applied first). */
    private static byte[] encode(byte[] plain, List<String> codings, boolean rawDeflate) {
        try {
            byte[] bytes = plain;
            for (String coding : codings) {
                bytes = switch (coding) {
                    case "gzip" -> BodyDecoderTest.gzip(bytes);
                    case "deflate" -> BodyDecoderTest.deflate(bytes, rawDeflate);
                    case "br" -> StoredBrotli.encode(bytes);
                    default -> LengthMeterTest.zstd(bytes);
                };
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzipOfZeros(long count) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < count; written += zeros.length) {
                out.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
