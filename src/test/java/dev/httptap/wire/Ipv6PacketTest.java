package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv6PacketTest {
    static final Ipv6Address CHILD = Ipv6Address.parse("fd77:6874:7470::100");
    static final Ipv6Address GATEWAY = Ipv6Address.parse("fd77:6874:7470::1");
    static final Ipv6Address SERVER = Ipv6Address.parse("2001:db8::1");

    /**
     * A SYN from [fd77:6874:7470::100]:41668 to [2001:db8::1]:80 with flow label 0xabcde and the options
     * Linux sends (checksum computed independently).
     */
    static final String SYN = "600abcde00280640fd77687474700000000000000000010020010db8000000000000000000000001"
            + "a2c400501234567800000000a002fd2059c50000"
            + "0204ffb40402080a0001e2400000000001030307";
    /** The same DNS query as the IPv4 test, to the gateway's IPv6 address, behind three extension headers. */
    static final String UDP_AFTER_EXTENSIONS = "6000000000450040fd776874747000000000000000000100"
            + "fd776874747000000000000000000001"
            + "2b00010400000000" // hop-by-hop options: next routing, PadN
            + "3c00000000000000" // routing: next destination options, type 0, no segments left
            + "1101010c000000000000000000000000" // destination options, 16 bytes: next UDP, PadN
            + "cf0800350025ff70abcd01000001000000000000076578616d706c6503636f6d0000010001";

    @Test
    void decodesHeaderFields() throws MalformedPacketException {
        Ipv6Packet packet = Ipv6Packet.parse(Hex.buffer(SYN));
        assertEquals(IpVersion.V6, packet.version());
        assertEquals(80, packet.totalLength());
        assertEquals(64, packet.hopLimit());
        assertEquals(IpProtocol.TCP, packet.protocol());
        assertEquals(CHILD, packet.source());
        assertEquals(SERVER, packet.destination());
        assertFalse(packet.isFragment());
        assertEquals(40, packet.headerLength());
        assertEquals(40, packet.payloadOffset());
        assertEquals(40, packet.payloadLength());
    }

    @Test
    void encodesTheSameBytesWithoutAFlowLabel() {
        Ipv6Header header = new Ipv6Header(CHILD, SERVER, IpProtocol.TCP, 40, 64);
        ByteBuffer out = ByteBuffer.allocate(40);
        header.emit(out, 0);
        assertEquals("60000000" + SYN.substring(8, 80), Hex.of(out, 0, 40));
        assertEquals(40, header.length());
        assertEquals(80, header.totalLength());
    }

    @Test
    void respectsBufferPositionAndIgnoresTrailingPadding() throws MalformedPacketException {
        ByteBuffer buffer = Hex.buffer("ffff" + SYN + "0000");
        buffer.position(2);
        Ipv6Packet packet = Ipv6Packet.parse(buffer);
        assertEquals(2, packet.start());
        assertEquals(80, packet.totalLength());
        assertEquals(42, packet.payloadOffset());
    }

    @Test
    void walksHopByHopRoutingAndDestinationOptions() throws MalformedPacketException {
        Ipv6Packet packet = Ipv6Packet.parse(Hex.buffer(UDP_AFTER_EXTENSIONS));
        assertEquals(IpProtocol.UDP, packet.protocol());
        assertEquals(72, packet.headerLength());
        assertEquals(37, packet.payloadLength());
        UdpDatagram udp = UdpDatagram.parse(packet);
        udp.verifyChecksum(packet.pseudoHeaderSum());
        assertEquals(53, udp.destinationPort());
    }

    @Test
    void keepsUnknownNextHeadersAsValues() throws MalformedPacketException {
        // Hop-by-hop options, then SCTP (132): the walk stops at the first header it does not know.
        ByteBuffer buffer = Hex.buffer("6000000000100040" + "00".repeat(32) + "8400010400000000" + "00".repeat(8));
        Ipv6Packet packet = Ipv6Packet.parse(buffer);
        assertEquals(new IpProtocol(132), packet.protocol());
        assertEquals(48, packet.payloadOffset());
        assertEquals(8, packet.payloadLength());
    }

    @Test
    void recognisesFragmentsButNotAtomicFragments() throws MalformedPacketException {
        assertTrue(withFragmentField(0x0001).isFragment(), "first fragment: more fragments");
        assertTrue(withFragmentField(0x0008).isFragment(), "last fragment: non-zero offset");
        Ipv6Packet atomic = withFragmentField(0x0000);
        assertFalse(atomic.isFragment(), "RFC 6946: an atomic fragment is a whole datagram");
        assertEquals(IpProtocol.UDP, atomic.protocol());
        assertEquals(48, atomic.payloadOffset());
    }

    @Test
    void rejectsMalformedPackets() {
        assertMalformed(Malformation.TRUNCATED, SYN.substring(0, 78));
        assertMalformed(Malformation.BAD_VERSION, "4" + SYN.substring(1));
        assertMalformed(Malformation.BAD_TOTAL_LENGTH, SYN.substring(0, SYN.length() - 2));
        // A hop-by-hop header claiming 16 bytes in an 8-byte payload.
        assertMalformed(Malformation.BAD_EXTENSION_HEADER, "6000000000080040" + "00".repeat(32) + "1101000000000000");
        // A fragment header cut short.
        assertMalformed(Malformation.BAD_EXTENSION_HEADER, "600000000004" + "2c40" + "00".repeat(32) + "11000000");
    }

    @Test
    void pseudoHeaderCoversAddressesLengthAndProtocol() throws MalformedPacketException {
        Ipv6Packet packet = Ipv6Packet.parse(Hex.buffer(SYN));
        TcpSegment.parse(packet).verifyChecksum(packet.pseudoHeaderSum());
        long forOtherSource = Checksum.ipv6PseudoHeader(GATEWAY, SERVER, 6, 40);
        assertThrows(MalformedPacketException.class, () -> TcpSegment.parse(packet).verifyChecksum(forOtherSource));
    }

    private static Ipv6Packet withFragmentField(int offsetAndFlags) throws MalformedPacketException {
        ByteBuffer buffer = Hex.buffer("6000000000100040" + "00".repeat(32) + "1100000000000001" + "00".repeat(8));
        buffer.put(6, (byte) Ipv6Packet.FRAGMENT);
        buffer.putShort(42, (short) offsetAndFlags);
        return Ipv6Packet.parse(buffer);
    }

    private static void assertMalformed(Malformation expected, String hex) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv6Packet.parse(Hex.buffer(hex)));
        assertEquals(expected, e.malformation());
    }
}
