package dev.httptap.wire;

import static dev.httptap.wire.Ipv6PacketTest.CHILD;
import static dev.httptap.wire.Ipv6PacketTest.GATEWAY;
import static dev.httptap.wire.Ipv6PacketTest.SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** TCP, UDP and ICMPv6 over IPv6: golden bytes with checksums over the IPv6 pseudo-header. */
class Ipv6TransportTest {
    static final Ipv6Address HOST_ALIAS = Ipv6Address.parse("fd77:6874:7470::a9fe:4d41");
    /** The DNS query of the IPv4 test from [fd77:6874:7470::100]:53000 to [fd77:6874:7470::1]:53. */
    static final String DNS_QUERY = "6000000000251140fd776874747000000000000000000100"
            + "fd776874747000000000000000000001"
            + "cf0800350025ff70"
            + "abcd01000001000000000000076578616d706c6503636f6d0000010001";
    /** An echo request to the host alias, id 0x1234 seq 1, payload "abcdefgh". */
    static final String ECHO_REQUEST = "6000000000103a40fd776874747000000000000000000100"
            + "fd7768747470000000000000a9fe4d41"
            + "80002ef112340001" + "6162636465666768";

    @Test
    void encodesTcpOverIpv6() throws MalformedPacketException {
        Ipv6Packet syn = Ipv6Packet.parse(Hex.buffer(Ipv6PacketTest.SYN));
        TcpSegment segment = TcpSegment.parse(syn);
        TcpHeader header = new TcpHeader(segment.sourcePort(), segment.destinationPort(), segment.sequence(),
                segment.acknowledgment(), segment.flags(), segment.window(), segment.options());
        Ipv6Header ip = new Ipv6Header(CHILD, SERVER, IpProtocol.TCP, header.length(), 64);
        ByteBuffer out = ByteBuffer.allocate(ip.totalLength());
        ip.emit(out, 0);
        header.emit(out, ip.length(), ip.pseudoHeaderSum(), 0);
        assertEquals("60000000" + Ipv6PacketTest.SYN.substring(8), Hex.of(out, 0, out.capacity()));
    }

    @Test
    void decodesAndEncodesUdp() throws MalformedPacketException {
        Ipv6Packet ip = Ipv6Packet.parse(Hex.buffer(DNS_QUERY));
        UdpDatagram udp = UdpDatagram.parse(ip);
        udp.verifyChecksum(ip.pseudoHeaderSum());
        assertEquals(53000, udp.sourcePort());
        assertEquals(29, udp.payload().remaining());

        ByteBuffer payload = udp.payload();
        UdpHeader header = new UdpHeader(53000, 53, payload.remaining());
        Ipv6Header ipHeader = new Ipv6Header(CHILD, GATEWAY, IpProtocol.UDP, header.length(), 64);
        ByteBuffer out = ByteBuffer.allocate(ipHeader.totalLength());
        out.put(48, payload, 0, payload.remaining());
        ipHeader.emit(out, 0);
        header.emit(out, 40, ipHeader.pseudoHeaderSum());
        assertEquals(DNS_QUERY, Hex.of(out, 0, out.capacity()));
    }

    @Test
    void rejectsAZeroUdpChecksumOverIpv6() throws MalformedPacketException {
        ByteBuffer unchecked = Hex.buffer(DNS_QUERY);
        unchecked.putShort(46, (short) 0);
        Ipv6Packet ip = Ipv6Packet.parse(unchecked);
        assertEquals(Malformation.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> UdpDatagram.parse(ip).verifyChecksum(ip.pseudoHeaderSum())).malformation());
    }

    @Test
    void decodesAndEncodesIcmpv6Echo() throws MalformedPacketException {
        Ipv6Packet ip = Ipv6Packet.parse(Hex.buffer(ECHO_REQUEST));
        assertEquals(IpProtocol.ICMPV6, ip.protocol());
        assertEquals(HOST_ALIAS, ip.destination());
        IcmpPacket icmp = IcmpPacket.parse(ip);
        assertEquals(Icmpv6.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x12340001, icmp.restOfHeader());
        assertEquals(8, icmp.payloadLength());

        ByteBuffer out = Hex.buffer(ECHO_REQUEST);
        new Icmpv6Header(Icmpv6.TYPE_ECHO_REQUEST, 0, 0x12340001).emit(out, 40, 8, ip.pseudoHeaderSum());
        assertEquals(ECHO_REQUEST, Hex.of(out, 0, out.capacity()));
    }

    @Test
    void icmpv6ChecksumCoversThePseudoHeader() {
        ByteBuffer otherDestination = Hex.buffer(ECHO_REQUEST);
        otherDestination.put(39, (byte) 0x42); // the checksum still matches the ICMP bytes alone
        assertEquals(Malformation.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> IcmpPacket.parse(Ipv6Packet.parse(otherDestination))).malformation());
        assertEquals(Malformation.TRUNCATED, assertThrows(MalformedPacketException.class,
                () -> IcmpPacket.parse(Ipv6Packet.parse(Hex.buffer("6000000000043a40" + "00".repeat(36)))))
                .malformation());
    }
}
