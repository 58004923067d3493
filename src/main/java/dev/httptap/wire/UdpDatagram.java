package dev.httptap.wire;

import java.nio.ByteBuffer;

/** A read-only view of a UDP datagram (RFC 768) inside a parsed IP packet. */
public final class UdpDatagram {
    /** Field offsets from the start of the UDP header. */
    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;

    public static final int HEADER_LENGTH = 8;

    private final ByteBuffer buffer;
    private final int start;
    private final int length;
    private final boolean checksumOptional;

    private UdpDatagram(ByteBuffer buffer, int start, int length, boolean checksumOptional) {
        this.buffer = buffer;
        this.start = start;
        this.length = length;
        this.checksumOptional = checksumOptional;
    }

    /** Views the upper-layer payload of an IP packet; the UDP length field must fit inside it. */
    public static UdpDatagram parse(IpPacket packet) throws MalformedPacketException {
        ByteBuffer buffer = packet.buffer();
        int start = packet.payloadOffset();
        if (packet.payloadLength() < HEADER_LENGTH) {
            throw new MalformedPacketException(Malformation.TRUNCATED, "UDP");
        }
        int length = buffer.getShort(start + LENGTH) & 0xFFFF;
        if (length < HEADER_LENGTH || length > packet.payloadLength()) {
            throw new MalformedPacketException(Malformation.BAD_TOTAL_LENGTH, "UDP");
        }
        return new UdpDatagram(buffer, start, length, packet.version() == IpVersion.V4);
    }

    /**
     * Throws unless the checksum is valid. A zero checksum field means "not computed" in IPv4; IPv6 makes
     * the checksum mandatory, so there zero is wrong (RFC 8200 section 8.1).
     */
    public void verifyChecksum(long pseudoHeaderSum) throws MalformedPacketException {
        if (buffer.getShort(start + CHECKSUM) == 0) {
            if (checksumOptional) {
                return;
            }
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "UDP");
        }
        if (!Checksum.isValid(pseudoHeaderSum + Checksum.sum(buffer, start, length))) {
            throw new MalformedPacketException(Malformation.BAD_CHECKSUM, "UDP");
        }
    }

    public int sourcePort() {
        return buffer.getShort(start + SOURCE_PORT) & 0xFFFF;
    }

    public int destinationPort() {
        return buffer.getShort(start + DESTINATION_PORT) & 0xFFFF;
    }

    /** The UDP length field: header plus payload. */
    public int length() {
        return length;
    }

    /** The payload as a read-only buffer sharing the packet's bytes. */
    public ByteBuffer payload() {
        return buffer.duplicate().limit(start + length).position(start + HEADER_LENGTH).slice().asReadOnlyBuffer();
    }
}
