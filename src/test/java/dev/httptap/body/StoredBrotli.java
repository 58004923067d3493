package dev.httptap.body;

import java.io.ByteArrayOutputStream;

/**
 * Brotli streams of any size for tests, without an encoder: the bytes go in uncompressed meta-blocks (RFC
 * 7932 9.2) of at most 64 KiB, after a 16-bit window header, and an empty last meta-block ends the stream.
 */
final class StoredBrotli {
    private static final int BLOCK_BYTES = 1 << 16;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int bits;
    private int bitCount;

    private StoredBrotli() {}

    static byte[] encode(byte[] plain) {
        StoredBrotli stream = new StoredBrotli();
        stream.write(0, 1); // WBITS = 16
        for (int at = 0; at < plain.length; at += BLOCK_BYTES) {
            int length = Math.min(BLOCK_BYTES, plain.length - at);
            stream.write(0, 1); // ISLAST
            stream.write(0, 2); // MNIBBLES: 4
            stream.write(length - 1, 16); // MLEN - 1
            stream.write(1, 1); // ISUNCOMPRESSED
            stream.flushBits();
            stream.out.write(plain, at, length);
        }
        stream.write(1, 1); // ISLAST
        stream.write(1, 1); // ISLASTEMPTY
        stream.flushBits();
        return stream.out.toByteArray();
    }

    /** {@code count} bits of {@code value}, least significant first, as brotli packs them. */
    private void write(int value, int count) {
        for (int i = 0; i < count; i++) {
            bits |= ((value >>> i) & 1) << bitCount;
            if (++bitCount == 8) {
                out.write(bits);
                bits = 0;
                bitCount = 0;
            }
        }
    }

    /** Pads with zero bits to the next byte. */
    private void flushBits() {
        if (bitCount > 0) {
            out.write(bits);
            bits = 0;
            bitCount = 0;
        }
    }
}
