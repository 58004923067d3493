package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * IP packets around fuzzed transport bytes with every length and checksum right, so that a fuzzer's
 * mutations reach the transport parsers and the stack instead of dying at the IP checksum. Shared by the
 * fuzz targets of wire and stack.
 */
public final class FuzzedPackets {
    public static final Ipv4Address CHILD_V4 = Ipv4Address.of(10, 1, 1, 100);
    public static final Ipv4Address SERVER_V4 = Ipv4Address.of(93, 184, 215, 14);
    public static final Ipv6Address CHILD_V6 = Ipv6Address.parse("fd77:6874:7470::100");
    public static final Ipv6Address SERVER_V6 = Ipv6Address.parse("2001:db8::1");

    private FuzzedPackets() {}

    /**
     * {@code transport} behind an IPv4 or IPv6 header of {@code protocol}, with the 16-bit checksum at
     * {@code checksumOffset} of the transport bytes (-1: none) computed over them and, when
     * {@code pseudoHeader}, the pseudo-header.
     */
    public static ByteBuffer wrap(boolean ipv6, IpProtocol protocol, byte[] transport, int checksumOffset,
                                  boolean pseudoHeader) {
        IpHeader ip = ipv6
                ? new Ipv6Header(CHILD_V6, SERVER_V6, protocol, transport.length, 64)
                : new Ipv4Header(CHILD_V4, SERVER_V4, protocol, transport.length, 64, 1);
        ByteBuffer buffer = ByteBuffer.allocate(ip.totalLength());
        buffer.put(ip.length(), transport);
        ip.emit(buffer, 0);
        if (checksumOffset >= 0 && checksumOffset + 2 <= transport.length) {
            int at = ip.length() + checksumOffset;
            buffer.putShort(at, (short) 0);
            long sum = (pseudoHeader ? ip.pseudoHeaderSum() : 0) + Checksum.sum(buffer, ip.length(), transport.length);
            int checksum = Checksum.finish(sum);
            // UDP sends a computed zero as all ones: zero in the field means "no checksum" (RFC 768).
            buffer.putShort(at, (short) (checksum == 0 && protocol.equals(IpProtocol.UDP) ? 0xffff : checksum));
        }
        return buffer;
    }
}
