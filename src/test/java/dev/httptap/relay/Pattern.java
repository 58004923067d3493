package dev.httptap.relay;

/** A long, non-repeating-looking byte stream, so misordered or lost bytes show up in a comparison. */
final class Pattern {
    private Pattern() {}

    static byte byteAt(long offset) {
        long mixed = offset * 0x9E3779B97F4A7C15L;
        return (byte) ((mixed >>> 56) ^ (offset >>> 16));
    }

    static byte[] bytes(long from, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = byteAt(from + i);
        }
        return bytes;
    }
}
