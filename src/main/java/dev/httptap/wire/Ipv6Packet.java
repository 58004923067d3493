package dev.httptap.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A read-only view of an IPv6 packet in a buffer (RFC 8200). {@link #parse} checks the length and walks the
 * extension headers this code knows the shape of (hop-by-hop options, routing, fragment, destination
 * options) to find the upper-layer protocol; any other next-header number is that protocol, kept as a value.
 * IPv6 has no header checksum: the upper layers' checksums cover the addresses through the pseudo-header.
 */
public final class Ipv6Packet implements IpPacket {
    /** Field offsets from the start of the fixed header. */
    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER = 6;
    private static final int HOP_LIMIT = 7;
    private static final int SOURCE = 8;
    private static final int DESTINATION = 24;

    public static final int FIXED_HEADER_LENGTH = 40;

    /** Next-header numbers of the extension headers that are walked. */
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int DESTINATION_OPTIONS = 60;

    private static final int FRAGMENT_HEADER_LENGTH = 8;
    private static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    private static final int MORE_FRAGMENTS = 0x1;

    private final ByteBuffer buffer;
    private final int start;
    private final int totalLength;
    private final int upperLayerOffset;
    private final IpProtocol protocol;
    private final boolean fragment;

    private Ipv6Packet(ByteBuffer buffer, int start, int totalLength, int upperLayerOffset, IpProtocol protocol,
                       boolean fragment) {
        this.buffer = buffer;
        this.start = start;
        this.totalLength = totalLength;
        this.upperLayerOffset = upperLayerOffset;
        this.protocol = protocol;
        this.fragment = fragment;
    }

    /**
     * Views the packet from {@code buffer.position()} to {@code buffer.limit()}. Bytes after the payload
     * length (link padding) are ignored.
     */
    public static Ipv6Packet parse(ByteBuffer buffer) throws MalformedPacketException {
        ByteBuffer bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN
                ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        int start = buffer.position();
        int available = buffer.remaining();
        if (available < FIXED_HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "IPv6");
        }
        if ((bigEndian.get(start) & 0xFF) >>> 4 != 6) {
            throw new MalformedPacketException(Malformation.BAD_VERSION, "IPv6");
        }
        int totalLength = FIXED_HEADER_LENGTH + (bigEndian.getShort(start + PAYLOAD_LENGTH) & 0xFFFF);
        if (totalLength > available) {
            throw new MalformedPacketException(Malformation.BAD_TOTAL_LENGTH, "IPv6");
        }
        int end = start + totalLength;
        int next = bigEndian.get(start + NEXT_HEADER) & 0xFF;
        int offset = start + FIXED_HEADER_LENGTH;
        boolean fragment = false;
        // Each extension header is at least eight bytes long, so the walk ends within the packet.
        while (!fragment && isWalkedExtension(next)) {
            int length = next == FRAGMENT ? FRAGMENT_HEADER_LENGTH : extensionLength(bigEndian, offset, end);
            if (offset + length > end) {
                throw new MalformedPacketException(Malformation.BAD_EXTENSION_HEADER, "IPv6");
            }
            if (next == FRAGMENT) {
                int field = bigEndian.getShort(offset + 2) & 0xFFFF;
                // An atomic fragment (offset 0, no more fragments) is a whole datagram (RFC 6946).
                fragment = (field & FRAGMENT_OFFSET_MASK) != 0 || (field & MORE_FRAGMENTS) != 0;
            }
            next = bigEndian.get(offset) & 0xFF;
            offset += length;
        }
        return new Ipv6Packet(bigEndian, start, totalLength, offset, IpProtocol.of(next), fragment);
    }

    private static boolean isWalkedExtension(int nextHeader) {
        return nextHeader == HOP_BY_HOP || nextHeader == ROUTING || nextHeader == FRAGMENT
                || nextHeader == DESTINATION_OPTIONS;
    }

    /** The length of a header whose second byte counts 8-byte units after the first eight. */
    private static int extensionLength(ByteBuffer buffer, int offset, int end) throws MalformedPacketException {
        if (offset + 2 > end) {
            throw new MalformedPacketException(Malformation.BAD_EXTENSION_HEADER, "IPv6");
        }
        return ((buffer.get(offset + 1) & 0xFF) + 1) * 8;
    }

    @Override
    public IpVersion version() {
        return IpVersion.V6;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public int start() {
        return start;
    }

    @Override
    public int totalLength() {
        return totalLength;
    }

    public int hopLimit() {
        return buffer.get(start + HOP_LIMIT) & 0xFF;
    }

    /** The upper-layer protocol after the walked extension headers. */
    @Override
    public IpProtocol protocol() {
        return protocol;
    }

    @Override
    public Ipv6Address source() {
        return Ipv6Address.read(buffer, start + SOURCE);
    }

    @Override
    public Ipv6Address destination() {
        return Ipv6Address.read(buffer, start + DESTINATION);
    }

    /** True when a fragment header says this is one piece of a larger datagram. */
    @Override
    public boolean isFragment() {
        return fragment;
    }

    /** Bytes of the fixed header and the walked extension headers. */
    public int headerLength() {
        return upperLayerOffset - start;
    }

    @Override
    public int payloadOffset() {
        return upperLayerOffset;
    }

    @Override
    public int payloadLength() {
        return start + totalLength - upperLayerOffset;
    }

    @Override
    public long pseudoHeaderSum() {
        return Checksum.ipv6PseudoHeader(source(), destination(), protocol.number(), payloadLength());
    }
}
