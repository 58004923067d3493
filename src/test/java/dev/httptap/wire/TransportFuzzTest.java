package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * TCP (header and options), UDP and ICMP/ICMPv6 from arbitrary bytes behind a correct IP header, so the
 * fuzzer works on the transport layer. Where the code also emits the layer, what it emits parses back.
 */
class TransportFuzzTest {
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int ICMP_CHECKSUM_OFFSET = 2;

    @FuzzTest
    void tcpOptions(FuzzedDataProvider data) {
        boolean ipv6 = data.consumeBoolean();
        byte[] segment = data.consumeRemainingAsBytes();
        IpPacket ip = parseIp(FuzzedPackets.wrap(ipv6, IpProtocol.TCP, segment, TCP_CHECKSUM_OFFSET, true));
        try {
            TcpSegment tcp = TcpSegment.parse(ip);
            tcp.verifyChecksum(ip.pseudoHeaderSum()); // made right above, so it must hold
            assertTrue(tcp.headerLength() >= 20 && tcp.headerLength() <= 60 && tcp.headerLength() <= segment.length);
            assertEquals(segment.length - tcp.headerLength(), tcp.payloadLength());
            TcpOptions options = tcp.options();
            assertTrue(options.windowScale() >= TcpOptions.NO_WINDOW_SCALE && options.windowScale() <= 255,
                    "window scale is the option's byte");
            assertTrue(options.length() % 4 == 0 && options.length() <= 40, "options fit a header");
            assertEquals(options, emittedAndParsed(options), "options survive emit and parse");
            assertEquals(tcp.payloadLength() + (tcp.has(TcpFlags.SYN) ? 1 : 0) + (tcp.has(TcpFlags.FIN) ? 1 : 0),
                    tcp.sequenceLength());
        } catch (MalformedPacketException expected) {
            assertTrue(segment.length < 20 || expected.malformation() != Malformation.BAD_CHECKSUM,
                    "a correct checksum was refused: " + expected.getMessage());
        }
    }

    private static TcpOptions emittedAndParsed(TcpOptions options) {
        ByteBuffer header = ByteBuffer.allocate(options.length());
        assertEquals(options.length(), options.emit(header, 0));
        try {
            return TcpOptions.parse(header, 0, header.limit());
        } catch (MalformedPacketException e) {
            throw new AssertionError("emitted options do not parse: " + e.getMessage(), e);
        }
    }

    @FuzzTest
    void udp(FuzzedDataProvider data) {
        boolean ipv6 = data.consumeBoolean();
        boolean rightChecksum = data.consumeBoolean();
        byte[] datagram = data.consumeRemainingAsBytes();
        IpPacket ip = parseIp(FuzzedPackets.wrap(ipv6, IpProtocol.UDP, datagram,
                rightChecksum ? UDP_CHECKSUM_OFFSET : -1, true));
        UdpDatagram udp;
        try {
            udp = UdpDatagram.parse(ip);
        } catch (MalformedPacketException expected) {
            return;
        }
        assertTrue(udp.length() >= 8 && udp.length() <= datagram.length);
        ByteBuffer payload = udp.payload();
        assertEquals(udp.length() - 8, payload.remaining());
        try {
            udp.verifyChecksum(ip.pseudoHeaderSum());
        } catch (MalformedPacketException badChecksum) {
            assertTrue(!rightChecksum || udp.length() != datagram.length, "a correct checksum was refused");
        }
        // The stack's way of writing the same datagram gives one that parses back to the same ports and payload.
        byte[] body = new byte[payload.remaining()];
        payload.get(body);
        UdpHeader header = new UdpHeader(udp.sourcePort(), udp.destinationPort(), body.length);
        ByteBuffer rewritten = ByteBuffer.allocate(header.length());
        rewritten.put(8, body);
        IpPacket again = parseIp(FuzzedPackets.wrap(ipv6, IpProtocol.UDP, rewritten.array(), -1, true));
        header.emit(again.buffer(), again.payloadOffset(), again.pseudoHeaderSum());
        try {
            UdpDatagram parsed = UdpDatagram.parse(again);
            parsed.verifyChecksum(again.pseudoHeaderSum());
            assertEquals(udp.sourcePort(), parsed.sourcePort());
            assertEquals(udp.destinationPort(), parsed.destinationPort());
            assertEquals(udp.payload(), parsed.payload());
        } catch (MalformedPacketException e) {
            throw new AssertionError("an emitted datagram does not parse: " + e.getMessage(), e);
        }
    }

    @FuzzTest
    void icmp(FuzzedDataProvider data) {
        boolean ipv6 = data.consumeBoolean();
        boolean rightChecksum = data.consumeBoolean();
        byte[] message = data.consumeRemainingAsBytes();
        IpPacket ip = parseIp(FuzzedPackets.wrap(ipv6, ipv6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP, message,
                rightChecksum ? ICMP_CHECKSUM_OFFSET : -1, ipv6));
        try {
            IcmpPacket icmp = ip instanceof Ipv6Packet v6 ? IcmpPacket.parse(v6) : IcmpPacket.parse((Ipv4Packet) ip);
            assertEquals(message.length - 8, icmp.payloadLength());
            assertEquals(message[0] & 0xff, icmp.type());
            assertEquals(message[1] & 0xff, icmp.code());
        } catch (MalformedPacketException expected) {
            assertTrue(message.length < 8 || !rightChecksum, "a correct ICMP message was refused");
        }
    }

    private static IpPacket parseIp(ByteBuffer packet) {
        try {
            return packet.get(0) >>> 4 == 6 ? Ipv6Packet.parse(packet) : Ipv4Packet.parse(packet);
        } catch (MalformedPacketException e) {
            throw new AssertionError("the packet built around the fuzzed bytes does not parse", e);
        }
    }
}
