package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The eight-byte ICMPv6 header to emit; {@code restOfHeader} is the type-specific word. */
public record Icmpv6Header(int type, int code, int restOfHeader) {
    public static final int LENGTH = IcmpPacket.HEADER_LENGTH;

    /**
     * Writes the header at {@code at}, with the checksum over the pseudo-header, the header and the
     * {@code payloadLength} bytes that must already follow it.
     */
    public void emit(ByteBuffer buffer, int at, int payloadLength, long pseudoHeaderSum) {
        buffer.put(at, (byte) type);
        buffer.put(at + 1, (byte) code);
        buffer.putShort(at + 2, (short) 0);
        buffer.putInt(at + 4, restOfHeader);
        long sum = pseudoHeaderSum + Checksum.sum(buffer, at, LENGTH + payloadLength);
        buffer.putShort(at + 2, (short) Checksum.finish(sum));
    }
}
