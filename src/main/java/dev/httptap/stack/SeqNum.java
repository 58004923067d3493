package dev.httptap.stack;

/**
 * TCP sequence number arithmetic modulo 2^32 (RFC 9293 section 3.4): {@code a} is before {@code b} when
 * the signed distance from {@code b} to {@code a} is negative. Plain {@code int}s, so nothing is boxed.
 */
final class SeqNum {
    private SeqNum() {}

    static boolean before(int a, int b) {
        return a - b < 0;
    }

    static boolean beforeOrEqual(int a, int b) {
        return a - b <= 0;
    }

    static boolean after(int a, int b) {
        return a - b > 0;
    }

    static boolean afterOrEqual(int a, int b) {
        return a - b >= 0;
    }

    /** True when {@code x} lies in {@code [start, start + size)}. */
    static boolean inWindow(int x, int start, int size) {
        return Integer.compareUnsigned(x - start, size) < 0;
    }

    static String toString(int sequence) {
        return Integer.toUnsignedString(sequence);
    }
}
