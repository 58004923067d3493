package dev.httptap.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
    /** "hello, brotli\n" as {@code brotli -c} writes it. */
    private static final String BROTLI = "8f068068656c6c6f2c2062726f746c690a03";
    /** "hello, zstd\n" as {@code zstd -c} writes it. */
    private static final String ZSTD = "28b52ffd045861000068656c6c6f2c207a7374640a84585ca0";
    /** "stacked text\n" through {@code gzip -n | brotli -c}: Content-Encoding "gzip, br". */
    private static final String GZIP_THEN_BROTLI =
            "0f10801f8b08000000000000032b2e494cce4e4d512849ad28e1020094eb2a4b0d00000003";
    /** "zstd then gzip\n" through {@code zstd -c | gzip -n}: Content-Encoding "zstd, gzip". */
    private static final String ZSTD_THEN_GZIP = "1f8b0800000000000003d3d8aaff9725a29281a1aab82445a12423354f21bd2ab3802b"
            + "2970731900ef2c80b01c000000";

    private final BodyDecoder decoder = new BodyDecoder(4096);

    @Test
    void identityBodyIsShownAsReceived() {
        DecodedBody body = decode(decoder, utf8("plain\n"), true, List.of());
        assertEquals("plain\n", text(body));
        assertFalse(body.cut());
        assertEquals(Optional.empty(), body.failure());
    }

    @Test
    void gzipIsInflated() throws IOException {
        assertEquals("hello, gzip\n", text(decode(decoder, gzip(utf8("hello, gzip\n")), true, List.of("gzip"))));
        assertEquals("x-gzip too\n", text(decode(decoder, gzip(utf8("x-gzip too\n")), true, List.of("X-GZIP"))));
    }

    @Test
    void deflateIsInflatedWhetherZlibWrappedOrRaw() throws IOException {
        assertEquals("zlib wrapped\n", text(decode(decoder, deflate(utf8("zlib wrapped\n"), false), true, List.of("deflate"))));
        assertEquals("raw deflate\n", text(decode(decoder, deflate(utf8("raw deflate\n"), true), true, List.of("deflate"))));
    }

    @Test
    void brotliAndZstdAreDecoded() {
        assertEquals("hello, brotli\n", text(decode(decoder, hex(BROTLI), true, List.of("br"))));
        assertEquals("hello, zstd\n", text(decode(decoder, hex(ZSTD), true, List.of("zstd"))));
    }

    @Test
    void stackedCodingsAreUndoneLastAppliedFirst() {
        assertEquals("stacked text\n", text(decode(decoder, hex(GZIP_THEN_BROTLI), true, List.of("gzip, br"))));
        assertEquals("zstd then gzip\n", text(decode(decoder, hex(ZSTD_THEN_GZIP), true, List.of("zstd", "gzip"))));
        assertEquals("stacked text\n", text(decode(decoder, hex(GZIP_THEN_BROTLI), true, List.of("identity, gzip ,br"))));
    }

    @Test
    void unencodedBodyPastTheLimitIsCutWithTheCountLeftOut() {
        BodyDecoder small = new BodyDecoder(10);
        BodyCapture capture = new BodyCapture(small.captureBytes(List.of()));
        capture.append(ByteBuffer.wrap(utf8("0123456789abcdef")));
        capture.append(ByteBuffer.wrap(utf8("ghij")));
        DecodedBody body = small.decode(capture, true, List.of());
        assertEquals("0123456789", text(body));
        assertTrue(body.cut());
        assertEquals(10, body.hiddenBytes());
        assertEquals(20, capture.totalBytes());
    }

    @Test
    void decodedOutputStopsAtTheLimitHoweverLargeTheBodyInflates() throws IOException {
        byte[] bomb = gzip(new byte[8 * 1024 * 1024]); // 8 MiB of zeros in about 8 KiB
        BodyDecoder small = new BodyDecoder(100);
        DecodedBody body = decode(small, bomb, true, List.of("gzip"));
        assertArrayEquals(new byte[100], body.bytes());
        assertTrue(body.cut());
        assertEquals(-1, body.hiddenBytes());
    }

    @Test
    void encodedBodyPastTheCaptureBoundShowsWhatItsPrefixDecodesTo() throws IOException {
        byte[] random = new byte[BodyDecoder.ENCODED_SLACK_BYTES + 50_000];
        new java.util.Random(7).nextBytes(random); // incompressible, so gzip is larger than the capture bound
        BodyDecoder small = new BodyDecoder(1000);
        byte[] encoded = gzip(random);
        BodyCapture capture = new BodyCapture(small.captureBytes(List.of("gzip")));
        capture.append(ByteBuffer.wrap(encoded));
        assertFalse(capture.isWhole());
        DecodedBody body = small.decode(capture, true, List.of("gzip"));
        assertArrayEquals(Arrays.copyOf(random, 1000), body.bytes());
        assertTrue(body.cut());
        assertEquals(Optional.empty(), body.failure());
    }

    @Test
    void bodyThatFailsToDecodeIsShownAsReceivedWithTheReason() {
        DecodedBody body = decode(decoder, utf8("not gzip at all"), true, List.of("gzip"));
        assertEquals("not gzip at all", text(body));
        assertTrue(body.failure().orElseThrow().startsWith("cannot decode gzip: "), body.failure().toString());

        DecodedBody brotli = decode(decoder, hex("ffffffffffffffff"), true, List.of("br"));
        assertTrue(brotli.failure().isPresent());
        DecodedBody zstd = decode(decoder, hex("28b52ffd00ffffffff"), true, List.of("zstd"));
        assertTrue(zstd.failure().isPresent());
    }

    @Test
    void unknownCodingIsShownAsReceivedWithANote() {
        DecodedBody body = decode(decoder, utf8("squeezed"), true, List.of("compress"));
        assertEquals("squeezed", text(body));
        assertEquals(Optional.of("unknown content coding \"compress\""), body.failure());
    }

    @Test
    void gzipCutShortByTheConnectionShowsWhatArrived() throws IOException {
        byte[] encoded = gzip(utf8("the first part arrived, the rest did not\n".repeat(20)));
        byte[] half = Arrays.copyOf(encoded, encoded.length / 2);
        DecodedBody body = decode(decoder, half, false, List.of("gzip"));
        assertEquals(Optional.empty(), body.failure());
        assertTrue(text(body).startsWith("the first part arrived"));
        assertTrue(body.cut());
    }

    @Test
    void captureKeepsOnlyItsBoundAndCountsEverything() {
        BodyCapture capture = new BodyCapture(5);
        ByteBuffer data = ByteBuffer.wrap(utf8("abcdefgh"));
        capture.append(data);
        assertEquals(0, data.position(), "the listener's view is left as it was");
        assertArrayEquals(utf8("abcde"), capture.bytes());
        assertEquals(8, capture.totalBytes());
        assertFalse(capture.isWhole());
    }

    private static DecodedBody decode(BodyDecoder decoder, byte[] wire, boolean complete, List<String> encodings) {
        BodyCapture capture = new BodyCapture(decoder.captureBytes(encodings));
        capture.append(ByteBuffer.wrap(wire));
        return decoder.decode(capture, complete, encodings);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static byte[] deflate(byte[] plain, boolean raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static String text(DecodedBody body) {
        return new String(body.bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
