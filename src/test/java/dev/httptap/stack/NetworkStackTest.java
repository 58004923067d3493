package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CLIENT;
import static dev.httptap.stack.TcpHarness.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.wire.Checksum;
import dev.httptap.wire.Icmpv4Header;
import dev.httptap.wire.Icmpv4;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.UdpHeader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything around TCP: malformed input, ICMP echo, UDP, counters, misbehaving callers. */
class NetworkStackTest {
    private static final Ipv4Address DNS = Ipv4Address.of(10, 0, 0, 1);
    private final TcpHarness child = new TcpHarness(StackConfig.defaults(), TcpHarness.OUR_ISS);

    @Test
    void malformedPacketsAreCountedByReasonAndNothingIsSent() {
        ByteBuffer syn = synPacket();
        child.stack.receive(ByteBuffer.allocate(0));
        child.stack.receive(ByteBuffer.wrap(new byte[] {0x45, 0, 0}));
        child.stack.receive(withByte(syn, 0, 0x75));
        child.stack.receive(withByte(syn, 0, 0x44));
        child.stack.receive(withByte(syn, 11, 0x00)); // IP header checksum
        child.stack.receive(withByte(syn, 36, 0x00)); // TCP checksum
        child.stack.receive(fixIpChecksum(withByte(syn, 32, 0x40))); // TCP data offset 16 bytes
        child.stack.receive(truncatedTcp());
        child.stack.receive(fixIpChecksum(withByte(syn, 6, 0x20))); // more fragments
        child.stack.receive(ByteBuffer.wrap(HexFormat.of().parseHex("6000000000083a40" + "00".repeat(32))));
        child.stack.receive(packet(new IpProtocol(132), new byte[8]));

        StackStats stats = child.stack.stats();
        assertEquals(11, stats.packetsIn());
        assertEquals(0, stats.packetsOut());
        assertEquals(3, stats.drops(DropReason.TRUNCATED));
        assertEquals(1, stats.drops(DropReason.NOT_IP));
        assertEquals(1, stats.drops(DropReason.BAD_HEADER_LENGTH));
        assertEquals(1, stats.drops(DropReason.BAD_LENGTH), "IPv6 payload length past the packet");
        assertEquals(2, stats.drops(DropReason.BAD_CHECKSUM));
        assertEquals(1, stats.drops(DropReason.BAD_TCP_DATA_OFFSET));
        assertEquals(1, stats.drops(DropReason.FRAGMENT));
        assertEquals(1, stats.drops(DropReason.UNKNOWN_PROTOCOL));
        assertEquals(11, stats.totalDrops());
        assertEquals(List.of(), child.forwarder.requests);
    }

    @Test
    void echoRequestsToAnyAddressAreAnswered() {
        ByteBuffer body = ByteBuffer.wrap("ping payload".getBytes(StandardCharsets.US_ASCII));
        byte[] icmp = new byte[Icmpv4Header.LENGTH + body.remaining()];
        ByteBuffer message = ByteBuffer.wrap(icmp);
        message.put(Icmpv4Header.LENGTH, body, 0, body.remaining());
        new Icmpv4Header(Icmpv4.TYPE_ECHO_REQUEST, 0, 0x4321_0007).emit(message, 0, body.remaining());
        child.stack.receive(packet(IpProtocol.ICMP, icmp));

        SentPacket reply = child.onlySent();
        assertEquals(SERVER, reply.ip().source());
        assertEquals(CLIENT, reply.ip().destination());
        assertEquals(Icmpv4.TYPE_ECHO_REPLY, reply.icmp().type());
        assertEquals(0x4321_0007, reply.icmp().restOfHeader(), "same identifier and sequence number");
        byte[] echoed = new byte[reply.icmp().payloadLength()];
        reply.icmp().buffer().get(reply.icmp().payloadOffset(), echoed);
        assertArrayEquals("ping payload".getBytes(StandardCharsets.US_ASCII), echoed);

        icmp[0] = Icmpv4.TYPE_ECHO_REPLY;
        ByteBuffer other = ByteBuffer.wrap(icmp);
        other.putShort(2, (short) 0).putShort(2, (short) Checksum.compute(other, 0, icmp.length));
        child.stack.receive(packet(IpProtocol.ICMP, icmp));
        assertEquals(List.of(), child.sent());
        assertEquals(1, child.stack.stats().drops(DropReason.ICMP_IGNORED));
    }

    /**
     * A packet the device marks as the kernel's own, its checksum left for the device to fill, carries only a
     * partial sum there: it is taken unchecked. Unmarked (a forged packet), the same bytes are dropped.
     */
    @Test
    void aTcpOrUdpChecksumTheDeviceVouchesForIsNotChecked() {
        ByteBuffer syn = withByte(synPacket(), 36, 0x00); // a TCP checksum that does not sum
        ByteBuffer datagram = withByte(udpPacket(53000, 53, new byte[] {1, 2, 3}), 26, 0x55); // nor a UDP one

        child.stack.receive(syn.duplicate());
        child.stack.receive(datagram.duplicate());
        assertEquals(2, child.stack.stats().drops(DropReason.BAD_CHECKSUM));
        assertEquals(List.of(), child.forwarder.requests);
        assertEquals(List.of(), child.forwarder.datagrams);

        child.stack.receive(syn.duplicate(), true);
        child.stack.receive(datagram.duplicate(), true);
        assertEquals(1, child.forwarder.requests.size(), "the SYN is taken");
        assertEquals(1, child.forwarder.datagrams.size(), "the datagram is taken");
        assertEquals(2, child.stack.stats().drops(DropReason.BAD_CHECKSUM));

        child.stack.receive(withByte(synPacket(), 11, 0x00), true); // the IP header's own checksum is still checked
        assertEquals(3, child.stack.stats().drops(DropReason.BAD_CHECKSUM));
    }

    @Test
    void udpDatagramsGoBothWays() throws Exception {
        byte[] query = "dns query".getBytes(StandardCharsets.US_ASCII);
        child.stack.receive(udpPacket(53000, 53, query));
        RecordingForwarder.Datagram datagram = child.forwarder.datagrams.get(0);
        FlowId flow = new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), 53000),
                new InetSocketAddress(DNS.toInetAddress(), 53));
        assertEquals(flow, datagram.flow());
        assertArrayEquals(query, datagram.payload());

        ByteBuffer answer = ByteBuffer.wrap("dns answer".getBytes(StandardCharsets.US_ASCII));
        child.stack.sendUdp(flow, answer);
        assertEquals(0, answer.position(), "the caller's buffer is not consumed");
        SentPacket sent = child.onlySent();
        assertEquals(DNS, sent.ip().source());
        assertEquals(CLIENT, sent.ip().destination());
        assertEquals(53, sent.udp().sourcePort());
        assertEquals(53000, sent.udp().destinationPort());
        ByteBuffer payload = sent.udp().payload();
        assertEquals("dns answer", StandardCharsets.US_ASCII.decode(payload).toString());

        child.stack.sendUdp(flow, ByteBuffer.allocate(65520 - 27));
        child.stack.sendUdp(new FlowId(new InetSocketAddress(InetAddress.getByName("::1"), 53),
                new InetSocketAddress(DNS.toInetAddress(), 53)), ByteBuffer.allocate(1));
        assertEquals(List.of(), child.sent());
        assertEquals(1, child.stack.stats().drops(DropReason.UDP_TOO_LARGE));
        assertEquals(1, child.stack.stats().drops(DropReason.UNSUPPORTED_ADDRESS));
    }

    @Test
    void aRefusedDatagramIsAnsweredWithPortUnreachableQuotingIt() {
        byte[] payload = "quic initial".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer original = udpPacket(53001, 443, payload);
        FlowId flow = new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), 53001),
                new InetSocketAddress(DNS.toInetAddress(), 443));

        child.stack.sendIcmpPortUnreachable(flow, ByteBuffer.wrap(payload));

        SentPacket sent = child.onlySent();
        assertEquals(DNS, sent.ip().source());
        assertEquals(CLIENT, sent.ip().destination());
        assertEquals(Icmpv4.TYPE_DESTINATION_UNREACHABLE, sent.icmp().type());
        assertEquals(3, sent.icmp().code(), "port unreachable");
        byte[] quote = new byte[sent.icmp().payloadLength()];
        sent.icmp().buffer().get(sent.icmp().payloadOffset(), quote);
        assertEquals(original.capacity(), quote.length, "a short datagram is quoted whole");
        byte[] expected = original.array();
        assertArrayEquals(Arrays.copyOfRange(expected, 12, 20), Arrays.copyOfRange(quote, 12, 20), "addresses");
        assertEquals(expected[9], quote[9], "protocol");
        assertArrayEquals(Arrays.copyOfRange(expected, 20, expected.length), Arrays.copyOfRange(quote, 20, quote.length),
                "the UDP header, checksum included, and the payload");

        child.stack.sendIcmpPortUnreachable(flow, ByteBuffer.allocate(4000));
        assertEquals(576, child.onlySent().ip().totalLength(), "a long one is cut as Linux cuts it");
    }

    @Test
    void exceptionsFromCallbacksNeverEscapeReceive() {
        NetworkStack stack = new NetworkStack(StackConfig.defaults(), BufferBudget.unlimited(), child.clock, child.output, new Forwarder() {
            @Override
            public void onTcpConnectRequest(TcpConnectRequest request) {
                throw new IllegalStateException("forwarder bug");
            }

            @Override
            public void onUdpDatagram(FlowId flow, ByteBuffer payload) {
                throw new IllegalStateException("forwarder bug");
            }
        }, () -> 1000);
        stack.receive(synPacket());
        stack.receive(udpPacket(1, 2, new byte[1]));
        assertEquals(2, stack.stats().drops(DropReason.INTERNAL_ERROR));
    }

    @Test
    void countsPacketsAndBytesBothWays() {
        child.stack.receive(synPacket());
        child.onlyRequest().refuse();
        child.sent();
        StackStats stats = child.stack.stats();
        assertEquals(1, stats.packetsIn());
        assertEquals(60, stats.bytesIn());
        assertEquals(1, stats.packetsOut());
        assertEquals(40, stats.bytesOut());
    }

    private static ByteBuffer synPacket() {
        return TcpHarness.packet(TcpFlags.SYN, 1000, 0, 64240, new TcpOptions(65495, 7, true, true, 1, 0),
                new byte[0]);
    }

    private static ByteBuffer truncatedTcp() {
        return packet(IpProtocol.TCP, new byte[12]);
    }

    private static ByteBuffer packet(IpProtocol protocol, byte[] payload) {
        Ipv4Header ip = new Ipv4Header(CLIENT, SERVER, protocol, payload.length, 64, 9);
        ByteBuffer buffer = ByteBuffer.allocate(ip.totalLength());
        buffer.put(Ipv4Header.LENGTH, payload);
        ip.emit(buffer, 0);
        return buffer;
    }

    private static ByteBuffer udpPacket(int fromPort, int toPort, byte[] payload) {
        UdpHeader udp = new UdpHeader(fromPort, toPort, payload.length);
        Ipv4Header ip = new Ipv4Header(CLIENT, DNS, IpProtocol.UDP, udp.length(), 64, 9);
        ByteBuffer buffer = ByteBuffer.allocate(ip.totalLength());
        buffer.put(Ipv4Header.LENGTH + 8, payload);
        udp.emit(buffer, Ipv4Header.LENGTH, ip.pseudoHeaderSum());
        ip.emit(buffer, 0);
        return buffer;
    }

    private static ByteBuffer withByte(ByteBuffer packet, int index, int value) {
        ByteBuffer copy = ByteBuffer.wrap(packet.array().clone());
        copy.put(index, (byte) value);
        return copy;
    }

    private static ByteBuffer fixIpChecksum(ByteBuffer packet) {
        packet.putShort(10, (short) 0);
        packet.putShort(10, (short) Checksum.compute(packet, 0, 20));
        return packet;
    }
}
