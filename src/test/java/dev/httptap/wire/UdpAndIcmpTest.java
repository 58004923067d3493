package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UdpAndIcmpTest {
    /** A DNS query for example.com A from 10.0.0.2:53000 to 10.0.0.1:53. */
    static final String DNS_QUERY = "4500003920004000401106b20a0000020a000001"
            + "cf0800350025a128"
            + "abcd01000001000000000000076578616d706c6503636f6d0000010001";
    /** An echo request, id 0x1234 seq 1, payload "abcdefgh". */
    static final String ECHO_REQUEST = "45000024300040004001cc100a0000025db8d70e"
            + "0800543512340001" + "6162636465666768";

    @Test
    void decodesUdp() throws MalformedPacketException {
        Ipv4Packet ip = Ipv4Packet.parse(Hex.buffer(DNS_QUERY));
        UdpDatagram udp = UdpDatagram.parse(ip);
        udp.verifyChecksum(ip.header().pseudoHeaderSum());
        assertEquals(53000, udp.sourcePort());
        assertEquals(53, udp.destinationPort());
        ByteBuffer payload = udp.payload();
        assertEquals(29, payload.remaining());
        assertEquals((byte) 0xab, payload.get(0));
    }

    @Test
    void encodesUdp() {
        ByteBuffer payload = Hex.buffer(DNS_QUERY.substring(56));
        UdpHeader udp = new UdpHeader(53000, 53, payload.remaining());
        Ipv4Header ip = new Ipv4Header(Ipv4Address.of(10, 0, 0, 2), Ipv4Address.of(10, 0, 0, 1), IpProtocol.UDP,
                udp.length(), 64, 0x2000);
        ByteBuffer out = ByteBuffer.allocate(ip.totalLength());
        out.put(28, payload, 0, payload.remaining());
        ip.emit(out, 0);
        udp.emit(out, 20, ip.pseudoHeaderSum());
        assertEquals(DNS_QUERY, Hex.of(out, 0, out.capacity()));
    }

    @Test
    void acceptsZeroUdpChecksumAndRejectsBadOnes() throws MalformedPacketException {
        ByteBuffer unchecked = Hex.buffer(DNS_QUERY);
        unchecked.putShort(26, (short) 0);
        Ipv4Packet ip = Ipv4Packet.parse(unchecked);
        UdpDatagram.parse(ip).verifyChecksum(ip.header().pseudoHeaderSum());

        ByteBuffer wrong = Hex.buffer(DNS_QUERY);
        wrong.putShort(26, (short) 0x1234);
        Ipv4Packet wrongIp = Ipv4Packet.parse(wrong);
        assertEquals(Malformation.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> UdpDatagram.parse(wrongIp).verifyChecksum(wrongIp.header().pseudoHeaderSum())).malformation());

        ByteBuffer tooLong = Hex.buffer(DNS_QUERY);
        tooLong.putShort(24, (short) 200);
        assertEquals(Malformation.BAD_TOTAL_LENGTH, assertThrows(MalformedPacketException.class,
                () -> UdpDatagram.parse(Ipv4Packet.parse(tooLong))).malformation());
    }

    @Test
    void decodesAndEncodesIcmpEcho() throws MalformedPacketException {
        IcmpPacket icmp = IcmpPacket.parse(Ipv4Packet.parse(Hex.buffer(ECHO_REQUEST)));
        assertEquals(Icmpv4.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x12340001, icmp.restOfHeader());
        assertEquals(8, icmp.payloadLength());

        ByteBuffer out = Hex.buffer(ECHO_REQUEST.substring(40));
        new Icmpv4Header(Icmpv4.TYPE_ECHO_REQUEST, 0, 0x12340001).emit(out, 0, 8);
        assertEquals(ECHO_REQUEST.substring(40), Hex.of(out, 0, 16));
    }

    @Test
    void rejectsBadIcmpChecksum() {
        ByteBuffer packet = Hex.buffer(ECHO_REQUEST);
        packet.put(30, (byte) 0);
        assertEquals(Malformation.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> IcmpPacket.parse(Ipv4Packet.parse(packet))).malformation());
    }
}
