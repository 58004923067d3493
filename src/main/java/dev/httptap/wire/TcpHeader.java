package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The fields of a TCP header to emit. {@code window} is the raw 16-bit field (already scaled down). */
public record TcpHeader(int sourcePort, int destinationPort, int sequence, int acknowledgment,
                        int flags, int window, TcpOptions options) {
    public int length() {
        return TcpSegment.MIN_HEADER_LENGTH + options.length();
    }

    /**
     * Writes the header at absolute index {@code at} and fills in the checksum over the header, the
     * {@code payloadLength} bytes that must already follow it in the buffer, and the pseudo-header sum.
     */
    public void emit(ByteBuffer buffer, int at, long pseudoHeaderSum, int payloadLength) {
        int headerLength = length();
        buffer.putShort(at, (short) sourcePort);
        buffer.putShort(at + 2, (short) destinationPort);
        buffer.putInt(at + 4, sequence);
        buffer.putInt(at + 8, acknowledgment);
        buffer.put(at + 12, (byte) ((headerLength / 4) << 4));
        buffer.put(at + 13, (byte) flags);
        buffer.putShort(at + 14, (short) window);
        buffer.putShort(at + 16, (short) 0);
        buffer.putShort(at + 18, (short) 0);
        options.emit(buffer, at + TcpSegment.MIN_HEADER_LENGTH);
        long sum = pseudoHeaderSum + Checksum.sum(buffer, at, headerLength + payloadLength);
        buffer.putShort(at + 16, (short) Checksum.finish(sum));
    }
}
