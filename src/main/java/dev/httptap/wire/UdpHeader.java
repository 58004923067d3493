package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The fields of a UDP header to emit. */
public record UdpHeader(int sourcePort, int destinationPort, int payloadLength) {
    public int length() {
        return UdpDatagram.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the header at absolute index {@code at}, with the checksum over the payload that must already
     * follow it. A computed checksum of zero is sent as all ones (RFC 768).
     */
    public void emit(ByteBuffer buffer, int at, long pseudoHeaderSum) {
        buffer.putShort(at, (short) sourcePort);
        buffer.putShort(at + 2, (short) destinationPort);
        buffer.putShort(at + 4, (short) length());
        buffer.putShort(at + 6, (short) 0);
        int checksum = Checksum.finish(pseudoHeaderSum + Checksum.sum(buffer, at, length()));
        buffer.putShort(at + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
    }
}
