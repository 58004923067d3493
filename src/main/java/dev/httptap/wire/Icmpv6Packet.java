package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * A read-only view of an ICMPv6 message (RFC 4443) inside a parsed IPv6 packet. Unlike ICMPv4, the checksum
 * covers the IPv6 pseudo-header too. The four bytes after the checksum depend on the type: identifier and
 * sequence number for echo, unused for destination unreachable.
 */
public final class Icmpv6Packet {
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** An ICMPv6 error quotes as much of the offending packet as fits in the minimum IPv6 MTU. */
    public static final int MINIMUM_MTU = 1280;

    /** Field offsets from the start of the ICMPv6 header. */
    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int REST_OF_HEADER = 4;

    public static final int HEADER_LENGTH = 8;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;

    private Icmpv6Packet(ByteBuffer buffer, int start, int length) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
    }

    /** Views the upper-layer payload of an IPv6 packet and checks the checksum with its pseudo-header. */
    public static Icmpv6Packet parse(Ipv6Packet packet) throws MalformedPacketException {
        int length = packet.payloadLength();
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "ICMPv6");
        }
        long sum = packet.pseudoHeaderSum() + Checksum.sum(packet.buffer(), packet.payloadOffset(), length);
        if (!Checksum.isValid(sum)) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "ICMPv6");
        }
        return new Icmpv6Packet(packet.buffer(), packet.payloadOffset(), length);
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
