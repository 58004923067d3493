package dev.httptap.wire;

import java.nio.ByteBuffer;

/** The fields of a TCP header to emit. {@code window} is the raw 16-bit field (already scaled down). */
public record TcpHeader(int sourcePort, int destinationPort, int sequence, int acknowledgment,
                        int flags, int window, TcpOptions options) {
    /** Where the checksum field sits in the header. */
    public static final int CHECKSUM_OFFSET = 16;

    public int length() {
        return TcpSegment.MIN_HEADER_LENGTH + options.length();
    }

    /**
     * Writes the header at absolute index {@code at} and fills in the checksum over the header, the
     * {@code payloadLength} bytes that must already follow it in the buffer, and the pseudo-header sum.
     */
    public void emit(ByteBuffer buffer, int at, long pseudoHeaderSum, int payloadLength) {
        emitFields(buffer, at, 0);
        long sum = pseudoHeaderSum + Checksum.sum(buffer, at, length() + payloadLength);
        buffer.putShort(at + CHECKSUM_OFFSET, (short) Checksum.finish(sum));
    }

    /**
     * Writes the header at absolute index {@code at} with a partial checksum: only the folded pseudo-header
     * sum, which a device with checksum offload completes over the segment (virtio-net's NEEDS_CSUM, Linux's
     * CHECKSUM_PARTIAL), so the payload is never summed here.
     */
    public void emitWithPartialChecksum(ByteBuffer buffer, int at, long pseudoHeaderSum) {
        emitFields(buffer, at, Checksum.fold(pseudoHeaderSum));
    }

    private void emitFields(ByteBuffer buffer, int at, int checksum) {
        int headerLength = length();
        buffer.putShort(at, (short) sourcePort);
        buffer.putShort(at + 2, (short) destinationPort);
        buffer.putInt(at + 4, sequence);
        buffer.putInt(at + 8, acknowledgment);
        buffer.put(at + 12, (byte) ((headerLength / 4) << 4));
        buffer.put(at + 13, (byte) flags);
        buffer.putShort(at + 14, (short) window);
        buffer.putShort(at + CHECKSUM_OFFSET, (short) checksum);
        buffer.putShort(at + 18, (short) 0);
        options.emit(buffer, at + TcpSegment.MIN_HEADER_LENGTH);
    }
}
