package dev.httptap.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only view of an IPv4 packet in a buffer (RFC 791). {@link #parse} validates the lengths and the
 * header checksum once; after that no accessor can fail. Options are skipped, not interpreted.
 */
public final class Ipv4Packet implements IpPacket {
    /** Field offsets from the start of the header. */
    private static final int VERSION_AND_IHL = 0;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_AND_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;

    public static final int MIN_HEADER_LENGTH = 20;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private final ByteBuffer buffer;
    private final int start;
    private final int headerLength;
    private final int totalLength;

    private Ipv4Packet(ByteBuffer buffer, int start, int headerLength, int totalLength) {
        this.buffer = buffer;
        this.start = start;
        this.headerLength = headerLength;
        this.totalLength = totalLength;
    }

    /**
     * Views the packet from {@code buffer.position()} to {@code buffer.limit()}. Bytes after the packet's
     * total length (link padding) are ignored.
     */
    public static Ipv4Packet parse(ByteBuffer buffer) throws MalformedPacketException {
        ByteBuffer bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN
                ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = buffer.position();
        int available = buffer.remaining();
        if (available < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "IPv4");
        }
        int first = bigEndian.get(start + VERSION_AND_IHL) & 0xFF;
        if (first >>> 4 != 4) {
            throw new MalformedPacketException(Malformation.BAD_VERSION, "IPv4");
        }
        int headerLength = (first & 0xF) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > available) {
            throw new MalformedPacketException(Malformation.BAD_HEADER_LENGTH, "IPv4");
        }
        int totalLength = bigEndian.getShort(start + TOTAL_LENGTH) & 0xFFFF;
        if (totalLength < headerLength || totalLength > available) {
            throw new MalformedPacketException(Malformation.BAD_TOTAL_LENGTH, "IPv4");
        }
        if (!Checksum.isValid(Checksum.sum(bigEndian, start, headerLength))) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "IPv4");
        }
        return new Ipv4Packet(bigEndian, start, headerLength, totalLength);
    }

    @Override
    public IpVersion version() {
        return IpVersion.V4;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public int start() {
        return start;
    }

    public int headerLength() {
        return headerLength;
    }

    @Override
    public int totalLength() {
        return totalLength;
    }

    public int identification() {
        return buffer.getShort(start + IDENTIFICATION) & 0xFFFF;
    }

    public int ttl() {
        return buffer.get(start + TTL) & 0xFF;
    }

    @Override
    public IpProtocol protocol() {
        return IpProtocol.of(buffer.get(start + PROTOCOL) & 0xFF);
    }

    @Override
    public Ipv4Address source() {
        return new Ipv4Address(buffer.getInt(start + SOURCE));
    }

    @Override
    public Ipv4Address destination() {
        return new Ipv4Address(buffer.getInt(start + DESTINATION));
    }

    /** True for any piece of a fragmented datagram (more-fragments set or a non-zero offset). */
    @Override
    public boolean isFragment() {
        int field = buffer.getShort(start + FLAGS_AND_FRAGMENT) & 0xFFFF;
        return (field & MORE_FRAGMENTS) != 0 || (field & FRAGMENT_OFFSET_MASK) != 0;
    }

    @Override
    public int payloadOffset() {
        return start + headerLength;
    }

    @Override
    public int payloadLength() {
        return totalLength - headerLength;
    }

    @Override
    public long pseudoHeaderSum() {
        return Checksum.ipv4PseudoHeader(source(), destination(), protocol().number(), payloadLength());
    }

    /** The header as a value. */
    public Ipv4Header header() {
        return new Ipv4Header(source(), destination(), protocol(), payloadLength(), ttl(), identification());
    }
}
