package dev.httptap.tun;

import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.IpVersion;
import dev.httptap.wire.Ipv6Header;
import dev.httptap.wire.TcpHeader;
import java.nio.ByteBuffer;
import jnr.ffi.Pointer;

/**
 * The {@code struct virtio_net_hdr} a TUN descriptor opened with IFF_VNET_HDR carries before every packet
 * (10 bytes: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, in the machine's byte order).
 * httptap uses its checksum flags: on packets it writes, NEEDS_CSUM with the place of the TCP checksum, so
 * that the kernel takes the checksum as done and nobody sums the payload; on packets it reads, NEEDS_CSUM
 * or DATA_VALID, which say the kernel's own stack made the packet and left its checksum undone (the device
 * has checksum offload) or checked it. It asks for no segmentation offload, so every other field stays zero.
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;
    private static final byte NEEDS_CSUM = 1;
    private static final byte DATA_VALID = 2;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;
    /** Where IPv4 and IPv6 headers hold the next protocol's number. */
    private static final int IPV4_PROTOCOL = 9;
    private static final int IPV6_NEXT_HEADER = 6;

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
        header.putShort(CSUM_OFFSET, (short) (start < 0 ? 0 : TcpHeader.CHECKSUM_OFFSET));
    }

    /**
     * True when the header of a packet read says its transport checksum needs no check: left undone for the
     * device (NEEDS_CSUM) or already checked (DATA_VALID). A packet the command forged (a raw socket) has
     * neither and is checked as before.
     */
    static boolean checksumTrusted(Pointer header) {
        return (header.getByte(0) & (NEEDS_CSUM | DATA_VALID)) != 0;
    }

    /** Where the TCP header starts in the packet, or -1 when it is not TCP (or carries IPv6 extension headers). */
    private static int tcpStart(ByteBuffer packet) {
        int at = packet.position();
        if (packet.remaining() < Ipv6Header.LENGTH) {
            return -1;
        }
        int firstByte = packet.get(at) & 0xFF;
        IpVersion version = IpVersion.ofFirstByte(firstByte);
        if (version == IpVersion.V4 && packet.get(at + IPV4_PROTOCOL) == IpProtocol.TCP.number()) {
            return (firstByte & 0x0F) * 4;
        }
        if (version == IpVersion.V6 && packet.get(at + IPV6_NEXT_HEADER) == IpProtocol.TCP.number()) {
            return Ipv6Header.LENGTH;
        }
        return -1;
    }
}
