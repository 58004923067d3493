package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * A read-only view of an ICMPv4 message (RFC 792) inside a parsed IP packet. The four bytes after the
 * checksum depend on the type: identifier and sequence number for echo, unused for destination unreachable.
 */
public final class Icmpv4Packet {
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int CODE_NETWORK_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PORT_UNREACHABLE = 3;

    /** Field offsets from the start of the ICMP header. */
    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int REST_OF_HEADER = 4;

    public static final int HEADER_LENGTH = 8;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;

    private Icmpv4Packet(ByteBuffer buffer, int start, int length) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
    }

    /** Views the payload of an IPv4 packet and checks the ICMP checksum. */
    public static Icmpv4Packet parse(Ipv4Packet packet) throws MalformedPacketException {
        int length = packet.payloadLength();
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "ICMP");
        }
        if (!Checksum.isValid(Checksum.sum(packet.buffer(), packet.payloadOffset(), length))) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "ICMP");
        }
        return new Icmpv4Packet(packet.buffer(), packet.payloadOffset(), length);
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
