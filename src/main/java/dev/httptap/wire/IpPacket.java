package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * A parsed IP packet of either version, as the transport layers see it: the addresses, the upper-layer
 * protocol and where its bytes are. For IPv6 the extension headers are already walked, so
 * {@link #protocol} and {@link #payloadOffset} describe the upper layer, not the fixed header.
 */
public sealed interface IpPacket permits Ipv4Packet, Ipv6Packet {
    IpVersion version();

    ByteBuffer buffer();

    /** Absolute index of the first header byte. */
    int start();

    IpAddress source();

    IpAddress destination();

    /** The upper-layer protocol (TCP, UDP, ICMP, ICMPv6, or any other number as a value). */
    IpProtocol protocol();

    /** True for any piece of a fragmented datagram. */
    boolean isFragment();

    /** Absolute index of the first upper-layer byte. */
    int payloadOffset();

    /** Length of the upper-layer data. */
    int payloadLength();

    /** Length from {@link #start} to the end of the packet. */
    int totalLength();

    /** The pseudo-header sum for this packet's TCP, UDP or ICMPv6 checksum. */
    long pseudoHeaderSum();
}
