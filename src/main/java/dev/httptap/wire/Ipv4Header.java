package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The fields of an IPv4 header this code emits: no options, don't-fragment set (RFC 791). */
public record Ipv4Header(Ipv4Address source, Ipv4Address destination, IpProtocol protocol,
                         int payloadLength, int ttl, int identification) implements IpHeader {
    public static final int LENGTH = Ipv4Packet.MIN_HEADER_LENGTH;
    public static final int DEFAULT_TTL = 64;
    private static final int DONT_FRAGMENT = 0x4000;

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public int totalLength() {
        return LENGTH + payloadLength;
    }

    /** Writes the header, checksum included, at absolute index {@code at} of a big-endian buffer. */
    @Override
    public void emit(ByteBuffer buffer, int at) {
        buffer.put(at, (byte) 0x45);
        buffer.put(at + 1, (byte) 0);
        buffer.putShort(at + 2, (short) totalLength());
        buffer.putShort(at + 4, (short) identification);
        buffer.putShort(at + 6, (short) DONT_FRAGMENT);
        buffer.put(at + 8, (byte) ttl);
        buffer.put(at + 9, (byte) protocol.number());
        buffer.putShort(at + 10, (short) 0);
        buffer.putInt(at + 12, source.bits());
        buffer.putInt(at + 16, destination.bits());
        buffer.putShort(at + 10, (short) Checksum.compute(buffer, at, LENGTH));
    }

    /** The pseudo-header sum for this packet's TCP or UDP checksum. */
    @Override
    public long pseudoHeaderSum() {
        return Checksum.ipv4PseudoHeader(source, destination, protocol.number(), payloadLength);
    }
}
