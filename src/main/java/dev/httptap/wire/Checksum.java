package dev.httptap.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
 *
 * <p>Sums are kept unfolded in a {@code long} so that several regions (pseudo-header, header, payload) can
 * be added together before {@link #finish}. The data is read eight bytes at a time: adding the two 32-bit
 * halves of each big-endian word into a 64-bit accumulator is the same ones' complement sum, and the carries
 * are folded back once at the end.
 */
public final class Checksum {
    private Checksum() {}

    /** The unfolded sum of {@code length} bytes at absolute {@code offset}; an odd tail byte is padded. */
    public static long sum(ByteBuffer buffer, int offset, int length) {
        ByteBuffer bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN
                ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        long accumulator = 0;
        int index = offset;
        int end = offset + length;
        while (end - index >= 8) {
            long word = bigEndian.getLong(index);
            accumulator += (word >>> 32) + (word & 0xFFFF_FFFFL);
            index += 8;
        }
        if (end - index >= 4) {
            accumulator += bigEndian.getInt(index) & 0xFFFF_FFFFL;
            index += 4;
        }
        if (end - index >= 2) {
            accumulator += bigEndian.getShort(index) & 0xFFFF;
            index += 2;
        }
        if (index < end) {
            accumulator += (bigEndian.get(index) & 0xFF) << 8;
        }
        return accumulator;
    }

    /** The sum of the IPv4 pseudo-header that TCP and UDP checksums cover (RFC 793, RFC 768). */
    public static long ipv4PseudoHeader(Ipv4Address source, Ipv4Address destination, int protocol, int length) {
        return (source.bits() & 0xFFFF_FFFFL) + (destination.bits() & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * The sum of the IPv6 pseudo-header that TCP, UDP and ICMPv6 checksums cover (RFC 8200 section 8.1):
     * both addresses, the upper-layer length and the upper-layer protocol number.
     */
    public static long ipv6PseudoHeader(Ipv6Address source, Ipv6Address destination, int protocol, int length) {
        return halves(source.high()) + halves(source.low()) + halves(destination.high())
                + halves(destination.low()) + (length & 0xFFFF_FFFFL) + protocol;
    }

    private static long halves(long word) {
        return (word >>> 32) + (word & 0xFFFF_FFFFL);
    }

    /** Folds an unfolded sum to 16 bits and complements it: the value to store in a checksum field. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Folds an unfolded sum to 16 bits, end-around carries added back in. */
    public static int fold(long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int) folded;
    }

    /** The checksum of one region, ready to store. */
    public static int compute(ByteBuffer buffer, int offset, int length) {
        return finish(sum(buffer, offset, length));
    }

    /** True when a region that includes its own checksum field sums to all ones (RFC 1071 verification). */
    public static boolean isValid(long sumIncludingChecksumField) {
        return finish(sumIncludingChecksumField) == 0;
    }
}
