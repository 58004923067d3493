package dev.httptap.tun;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;

/**
 * The {@code struct virtio_net_hdr} a TUN descriptor opened with IFF_VNET_HDR carries before every packet
 * (10 bytes: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, in the machine's byte order).
 * httptap uses one thing from it: on packets it writes, NEEDS_CSUM with the place of the TCP checksum, so
 * that the kernel takes the checksum as done and nobody sums the payload. It asks for no segmentation
 * offload, so every other field stays zero.
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;
    private static final byte NEEDS_CSUM = 1;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    private static final int IPV4 = 4;
    private static final int IPV6 = 6;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int TCP = 6;
    private static final int TCP_CHECKSUM_OFFSET = 16;

    private VirtioNetHeader() {
    }

    /**
     * Fills {@code header} for {@code packet} (position to limit): NEEDS_CSUM when it is a TCP segment right
     * after its IP header, otherwise all zero (the packet's checksums are complete).
     */
    static void describe(ByteBuffer packet, Pointer header) {
        int start = tcpStart(packet);
        header.putByte(0, start < 0 ? 0 : NEEDS_CSUM);
        header.putShort(CSUM_START, (short) Math.max(start, 0));
        header.putShort(CSUM_OFFSET, (short) (start < 0 ? 0 : TCP_CHECKSUM_OFFSET));
    }

    /** Where the TCP header starts in the packet, or -1 when it is not TCP (or carries IPv6 extension headers). */
    private static int tcpStart(ByteBuffer packet) {
        int at = packet.position();
        if (packet.remaining() < IPV6_HEADER_LENGTH) {
            return -1;
        }
        int version = (packet.get(at) & 0xFF) >>> 4;
        if (version == IPV4 && packet.get(at + 9) == TCP) {
            return (packet.get(at) & 0x0F) * 4;
        }
        if (version == IPV6 && packet.get(at + 6) == TCP) {
            return IPV6_HEADER_LENGTH;
        }
        return -1;
    }
}
