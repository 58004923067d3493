package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * A read-only view of a TCP segment (RFC 9293) inside a parsed IP packet. {@link #parse} checks the data
 * offset and the options once; the checksum needs the IP pseudo-header, so it is checked separately by
 * {@link #verifyChecksum}.
 */
public final class TcpSegment {
    /** Field offsets from the start of the TCP header. */
    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int SEQUENCE = 4;
    private static final int ACKNOWLEDGMENT = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;

    public static final int MIN_HEADER_LENGTH = 20;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;
    private final int headerLength;
    private final TcpOptions options;

    private TcpSegment(ByteBuffer buffer, int start, int length, int headerLength, TcpOptions options) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
        this.headerLength = headerLength;
        this.options = options;
    }

    /** Views {@code length} bytes at absolute {@code start} of a big-endian buffer. */
    public static TcpSegment parse(ByteBuffer buffer, int start, int length) throws MalformedPacketException {
        if (length < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "TCP");
        }
        int headerLength = ((buffer.get(start + DATA_OFFSET) & 0xFF) >>> 4) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            throw new MalformedPacketException(Malformation.BAD_DATA_OFFSET, "TCP");
        }
        TcpOptions options = headerLength == MIN_HEADER_LENGTH
                ? TcpOptions.NONE
                : TcpOptions.parse(buffer, start + MIN_HEADER_LENGTH, start + headerLength);
        return new TcpSegment(buffer, start, length, headerLength, options);
    }

    /** Views the upper-layer payload of an IP packet. */
    public static TcpSegment parse(IpPacket packet) throws MalformedPacketException {
        return parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
    }

    /** Throws unless the segment and the given pseudo-header sum to all ones. */
    public void verifyChecksum(long pseudoHeaderSum) throws MalformedPacketException {
        if (!Checksum.isValid(pseudoHeaderSum + Checksum.sum(buffer, start, length))) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "TCP");
        }
    }

    public int sourcePort() {
        return buffer.getShort(start + SOURCE_PORT) & 0xFFFF;
    }

    public int destinationPort() {
        return buffer.getShort(start + DESTINATION_PORT) & 0xFFFF;
    }

    public int sequence() {
        return buffer.getInt(start + SEQUENCE);
    }

    public int acknowledgment() {
        return buffer.getInt(start + ACKNOWLEDGMENT);
    }

    /** The control bits, see {@link TcpFlags}. */
    public int flags() {
        return buffer.get(start + FLAGS) & 0xFF;
    }

    public boolean has(int flag) {
        return (flags() & flag) != 0;
    }

    /** The window field as sent (not yet scaled). */
    public int window() {
        return buffer.getShort(start + WINDOW) & 0xFFFF;
    }

    public TcpOptions options() {
        return options;
    }

    public int headerLength() {
        return headerLength;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return start + headerLength;
    }

    public int payloadLength() {
        return length - headerLength;
    }

    /** Sequence space the segment occupies: payload plus one for SYN and one for FIN. */
    public int sequenceLength() {
        int flags = flags();
        return payloadLength() + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    @Override
    public String toString() {
        return TcpFlags.toString(flags()) + " " + sourcePort() + "->" + destinationPort()
                + " seq=" + Integer.toUnsignedString(sequence()) + " ack=" + Integer.toUnsignedString(acknowledgment())
                + " win=" + window() + " len=" + payloadLength();
    }
}
