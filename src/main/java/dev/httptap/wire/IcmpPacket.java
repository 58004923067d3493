package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * A read-only view of an ICMP message inside a parsed IP packet: ICMPv4 (RFC 792) and ICMPv6 (RFC 4443)
 * share this header layout, and differ only in what the checksum covers and in their numbers ({@link Icmpv4},
 * {@link Icmpv6}). The four bytes after the checksum depend on the type: identifier and sequence number for
 * echo, unused for destination unreachable.
 */
public final class IcmpPacket {
    public static final int HEADER_LENGTH = 8;

    /** Field offsets from the start of the ICMP header. */
    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int REST_OF_HEADER = 4;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;

    private IcmpPacket(ByteBuffer buffer, int start, int length) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
    }

    /** Views the payload of an IPv4 packet and checks the ICMP checksum, which covers the message alone. */
    public static IcmpPacket parse(Ipv4Packet packet) throws MalformedPacketException {
        return checked(packet, 0, "ICMP");
    }

    /** Views the payload of an IPv6 packet and checks the checksum, which covers the pseudo-header too. */
    public static IcmpPacket parse(Ipv6Packet packet) throws MalformedPacketException {
        return checked(packet, packet.pseudoHeaderSum(), "ICMPv6");
    }

    private static IcmpPacket checked(IpPacket packet, long pseudoHeaderSum, String name)
            throws MalformedPacketException {
        int length = packet.payloadLength();
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, name);
        }
        if (!Checksum.isValid(pseudoHeaderSum + Checksum.sum(packet.buffer(), packet.payloadOffset(), length))) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, name);
        }
        return new IcmpPacket(packet.buffer(), packet.payloadOffset(), length);
    }

    public int type() {
        return buffer.get(start + TYPE) & 0xFF;
    }

    public int code() {
        return buffer.get(start + CODE) & 0xFF;
    }

    /** Identifier (high half) and sequence number (low half) for echo messages. */
    public int restOfHeader() {
        return buffer.getInt(start + REST_OF_HEADER);
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first byte after the eight-byte header. */
    public int payloadOffset() {
        return start + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }
}
