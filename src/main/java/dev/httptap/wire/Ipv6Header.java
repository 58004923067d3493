package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The fields of an IPv6 header this code emits: no extension headers, traffic class and flow label zero. */
public record Ipv6Header(Ipv6Address source, Ipv6Address destination, IpProtocol protocol, int payloadLength,
                         int hopLimit) implements IpHeader {
    public static final int LENGTH = Ipv6Packet.FIXED_HEADER_LENGTH;
    public static final int DEFAULT_HOP_LIMIT = 64;

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public int totalLength() {
        return LENGTH + payloadLength;
    }

    @Override
    public void emit(ByteBuffer buffer, int at) {
        buffer.putInt(at, 6 << 28);
        buffer.putShort(at + 4, (short) payloadLength);
        buffer.put(at + 6, (byte) protocol.number());
        buffer.put(at + 7, (byte) hopLimit);
        source.write(buffer, at + 8);
        destination.write(buffer, at + 24);
    }

    @Override
    public long pseudoHeaderSum() {
        return Checksum.ipv6PseudoHeader(source, destination, protocol.number(), payloadLength);
    }
}
