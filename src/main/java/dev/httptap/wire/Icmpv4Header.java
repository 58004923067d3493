package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The eight-byte ICMPv4 header to emit; {@code restOfHeader} is the type-specific word. */
public record Icmpv4Header(int type, int code, int restOfHeader) {
    public static final int LENGTH = IcmpPacket.HEADER_LENGTH;

    /** Writes the header at {@code at}, with the checksum over it and the {@code payloadLength} bytes after it. */
    public void emit(ByteBuffer buffer, int at, int payloadLength) {
        buffer.put(at, (byte) type);
        buffer.put(at + 1, (byte) code);
        buffer.putShort(at + 2, (short) 0);
        buffer.putInt(at + 4, restOfHeader);
        buffer.putShort(at + 2, (short) Checksum.compute(buffer, at, LENGTH + payloadLength));
    }
}
