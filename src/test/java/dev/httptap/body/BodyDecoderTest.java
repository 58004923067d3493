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
import java.util.Collections;
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
        // zlib-wrapped deflate under brotli: the pulling path tells zlib from raw as the pushing one does.
        assertEquals("deflate under brotli\n", text(decode(decoder,
                hex("0f0e80789c4b494dcb492c495528cd4b492d52482aca2fc9c9e40200588107ca03"), true, List.of("deflate, br"))));
    }

    @Test
    void unencodedBodyPastTheLimitIsCutWithTheCountLeftOut() {
        BodyRecorder recorder = new BodyDecoder(10).recorder(List.of());
        recorder.append(ByteBuffer.wrap(utf8("0123456789abcdef")));
        recorder.append(ByteBuffer.wrap(utf8("ghij")));
        DecodedBody body = recorder.result(true);
        assertEquals("0123456789", text(body));
        assertTrue(body.cut());
        assertEquals(10, body.hiddenBytes());
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
    void decodingStopsAtTheLimitSoLaterBytesAreNeverLookedAt() throws IOException {
        BodyRecorder recorder = new BodyDecoder(100).recorder(List.of("gzip"));
        recorder.append(ByteBuffer.wrap(gzip(new byte[1000])));
        recorder.append(ByteBuffer.wrap(utf8("garbage that would not inflate")));
        DecodedBody body = recorder.result(true);
        assertArrayEquals(new byte[100], body.bytes());
        assertTrue(body.cut());
        assertEquals(Optional.empty(), body.failure());
    }

    @Test
    void gzipFedOneByteAtATimeWithEveryOptionalHeaderField() {
        // gzip -N of "hi\n" named "a.txt", with FEXTRA, FCOMMENT and FHCRC set by hand.
        byte[] member = hex("1f8b081e000000000003" + "02004142" + "612e74787400" + "6300" + "0000"
                + "cbc8e40200" + "7a7a6fed03000000");
        BodyRecorder recorder = decoder.recorder(List.of("gzip"));
        for (byte octet : member) {
            recorder.append(ByteBuffer.wrap(new byte[] {octet}).asReadOnlyBuffer());
        }
        DecodedBody body = recorder.result(true);
        assertEquals(Optional.empty(), body.failure());
        assertEquals("hi\n", text(body));
    }

    @Test
    void gzipMembersFollowOneAnotherAndTrailingBytesAreIgnored() throws IOException {
        byte[] two = concat(gzip(utf8("first ")), gzip(utf8("second\n")), utf8("\0\0junk"));
        assertEquals("first second\n", text(decode(decoder, two, true, List.of("gzip"))));
    }

    @Test
    void stackedInflatingCodingsAreDecodedAsTheyArrive() throws IOException {
        byte[] both = gzip(deflate(utf8("deflate, then gzip\n"), false));
        BodyRecorder recorder = decoder.recorder(List.of("deflate, gzip"));
        for (int i = 0; i < both.length; i += 3) {
            recorder.append(ByteBuffer.wrap(both, i, Math.min(3, both.length - i)));
        }
        assertEquals("deflate, then gzip\n", text(recorder.result(true)));
    }

    @Test
    void gzipThatEndsEarlyOnACompleteMessageIsAFailure() throws IOException {
        byte[] encoded = gzip(utf8("cut off\n".repeat(50)));
        DecodedBody body = decode(decoder, Arrays.copyOf(encoded, encoded.length - 12), true, List.of("gzip"));
        assertEquals(Optional.of("cannot decode gzip: the coded stream ends early"), body.failure());
    }

    @Test
    void brotliBodyPastThePrintLimitIsCut() {
        BodyDecoder small = new BodyDecoder(10);
        BodyRecorder recorder = small.recorder(List.of("br"));
        recorder.append(ByteBuffer.wrap(hex(BROTLI)));
        DecodedBody body = recorder.result(false);
        assertEquals("hello, bro", text(body));
        assertTrue(body.cut());
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
    void fiveStackedCodingsAreUndone() throws IOException {
        assertEquals("five deep\n", text(decode(decoder, deflatedTimes(utf8("five deep\n"), 5), true, deflates(5))));
    }

    @Test
    void aThousandStackedCodingsAreShownAsReceivedWithANoteAndNeverRecursed() throws IOException {
        byte[] encoded = deflatedTimes(utf8("deep\n"), 1000);
        DecodedBody body = decode(decoder, encoded, true, deflates(1000));
        assertArrayEquals(Arrays.copyOf(encoded, Math.min(encoded.length, 4096)), body.bytes());
        assertEquals(Optional.of("not decoded: 1000 stacked content codings, more than the 5 httptap undoes"),
                body.failure());
    }

    private static byte[] deflatedTimes(byte[] bytes, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            bytes = deflate(bytes, false);
        }
        return bytes;
    }

    private static List<String> deflates(int count) {
        return List.of(String.join(", ", Collections.nCopies(count, "deflate")));
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
    void brotliCutShortBeforeItsFirstBlockEndsIsShownAsReceived() {
        byte[] cut = Arrays.copyOf(hex(BROTLI), 8);
        DecodedBody body = decode(decoder, cut, false, List.of("br"));
        assertArrayEquals(cut, body.bytes());
        assertTrue(body.failure().orElseThrow().startsWith("cannot decode br: "));
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
        BodyRecorder recorder = decoder.recorder(encodings);
        recorder.append(ByteBuffer.wrap(wire).asReadOnlyBuffer());
        return recorder.result(complete);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    static byte[] deflate(byte[] plain, boolean raw) throws IOException {
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
