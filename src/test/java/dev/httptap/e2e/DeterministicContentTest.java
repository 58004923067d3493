package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The large-transfer content must be the same bytes `openssl enc -aes-128-ctr` prints inside the tap. */
class DeterministicContentTest {

    @Test
    void firstBytesMatchOpensslGoldenOutput() throws IOException {
        // openssl enc -aes-128-ctr -K 00112233445566778899aabbccddeeff -iv 0...0 -in /dev/zero | head -c 32
        String golden = "fde4fbae4a09e020eff722969f83832b84d4c9c08b4f482861e3a9c6c35bc4d9";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DeterministicContent.writeTo(out, 32);

        assertEquals(golden, HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void lengthIsExactAcrossBlockBoundaries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DeterministicContent.writeTo(out, 64 * 1024 + 7);

        assertEquals(64 * 1024 + 7, out.size());
    }

    @Test
    void digestIsOfTheWrittenBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeterministicContent.writeTo(out, 100_000);

        String expected = HexFormat.of().formatHex(Sha256.newDigest().digest(out.toByteArray()));

        assertEquals(expected, DeterministicContent.sha256Hex(100_000));
    }
}
