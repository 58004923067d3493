package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, whose complement is 220d.
        ByteBuffer bytes = Hex.buffer("0001f203f4f5f6f7");
        assertEquals(0x220d, Checksum.compute(bytes, 0, 8));
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        assertEquals(Checksum.compute(Hex.buffer("01020300"), 0, 4), Checksum.compute(Hex.buffer("010203"), 0, 3));
    }

    @Test
    void chunkedSumMatchesWordByWordSumForEveryLengthAndOffset() {
        Random random = new Random(7);
        byte[] data = new byte[300];
        random.nextBytes(data);
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 0; length < 200; length++) {
                assertEquals(naive(data, offset, length), Checksum.compute(ByteBuffer.wrap(data), offset, length),
                        "offset " + offset + " length " + length);
            }
        }
    }

    @Test
    void byteOrderAndDirectBuffersGiveTheSameResult() {
        byte[] data = new byte[1501];
        new Random(3).nextBytes(data);
        int expected = naive(data, 0, data.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        assertEquals(expected, Checksum.compute(direct, 0, data.length));
        assertEquals(expected, Checksum.compute(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), 0, data.length));
    }

    @Test
    void regionIncludingItsChecksumVerifies() {
        ByteBuffer packet = Hex.buffer("4500003c1c4640004006dfad0a0000025db8d70e");
        assertTrue(Checksum.isValid(Checksum.sum(packet, 0, 20)));
    }

    private static int naive(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
