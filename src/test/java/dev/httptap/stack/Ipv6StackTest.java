package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CHILD_ISN;
import static dev.httptap.stack.TcpHarness.CHILD_SYN_OPTIONS;
import static dev.httptap.stack.TcpHarness.CLIENT_PORT;
import static dev.httptap.stack.TcpHarness.OUR_ISS;
import static dev.httptap.stack.TcpHarness.SERVER_PORT;
import static dev.httptap.stack.TcpHarness.assertSegment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.httptap.wire.Icmpv6Header;
import dev.httptap.wire.Icmpv6;
import dev.httptap.wire.IpHeader;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv6Address;
import dev.httptap.wire.Ipv6Packet;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.UdpHeader;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stack over IPv6: the same TCP, UDP and echo behaviour as over IPv4, with IPv6 headers and ICMPv6. */
class Ipv6StackTest {
    private static final Ipv6Address CLIENT = Ipv6Address.parse("fd77:6874:7470::100");
    private static final Ipv6Address SERVER = Ipv6Address.parse("2001:db8::1");
    private static final Ipv6Address GATEWAY = Ipv6Address.parse("fd77:6874:7470::1");
    private final TcpHarness child = new TcpHarness(StackConfig.defaults(), OUR_ISS, CLIENT, SERVER);

    @Test
    void synIsOfferedWithIpv6AddressesAndAcceptedWithAnIpv6SynAck() {
        child.syn(CHILD_SYN_OPTIONS);
        TcpConnectRequest request = child.onlyRequest();
        assertEquals(new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), CLIENT_PORT),
                new InetSocketAddress(SERVER.toInetAddress(), SERVER_PORT)), request.flow());
        assertInstanceOf(Inet6Address.class, request.flow().server().getAddress());

        request.accept(child.listener);
        SentPacket synAck = child.onlySent();
        assertInstanceOf(Ipv6Packet.class, synAck.ip());
        assertSegment(synAck, TcpFlags.SYN | TcpFlags.ACK, OUR_ISS, CHILD_ISN + 1);
        assertEquals(SERVER, synAck.ip().source());
        assertEquals(CLIENT, synAck.ip().destination());
        assertEquals(65460, synAck.options().mss(), "MSS = MTU - 40 (IPv6) - 20 (TCP)");
    }

    @Test
    void dataFlowsBothWaysAndTheConnectionCloses() {
        child.handshake(CHILD_SYN_OPTIONS);
        child.send(TcpFlags.ACK | TcpFlags.PSH, "GET / HTTP/1.1\r\n\r\n");
        assertEquals("GET / HTTP/1.1\r\n\r\n", child.readAll());

        child.write("HTTP/1.1 200 OK\r\n\r\n");
        List<SentPacket> sent = child.sent();
        SentPacket data = sent.get(sent.size() - 1);
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", data.text());
        assertEquals(CLIENT, data.ip().destination());
        child.ack(data.seq() + data.length());

        child.connection.shutdownOutput();
        SentPacket fin = child.sent().get(0);
        assertSegment(fin, TcpFlags.FIN | TcpFlags.ACK, data.seq() + data.length(), child.childSeq);
    }

    @Test
    void refusalIsAnIpv6Reset() {
        child.syn(CHILD_SYN_OPTIONS);
        child.onlyRequest().refuse();
        SentPacket reset = child.onlySent();
        assertSegment(reset, TcpFlags.RST | TcpFlags.ACK, 0, CHILD_ISN + 1);
        assertEquals(SERVER, reset.ip().source());
    }

    @Test
    void unreachableIsAnIcmpv6AddressUnreachableQuotingTheWholeSyn() {
        ByteBuffer syn = TcpHarness.packet(CLIENT, SERVER, TcpFlags.SYN, CHILD_ISN, 0, 64240, CHILD_SYN_OPTIONS,
                new byte[0]);
        child.stack.receive(syn.duplicate());
        child.onlyRequest().unreachable();
        SentPacket error = child.onlySent();
        assertEquals(SERVER, error.ip().source());
        assertEquals(CLIENT, error.ip().destination());
        assertEquals(Icmpv6.TYPE_DESTINATION_UNREACHABLE, error.icmpv6().type());
        assertEquals(Icmpv6.CODE_ADDRESS_UNREACHABLE, error.icmpv6().code());
        byte[] quoted = new byte[error.icmpv6().payloadLength()];
        error.icmpv6().buffer().get(error.icmpv6().payloadOffset(), quoted);
        assertArrayEquals(syn.array(), quoted);
    }

    @Test
    void echoRequestsAreAnsweredButNotOtherIcmpv6OrMulticast() {
        child.stack.receive(icmpv6(CLIENT, SERVER, Icmpv6.TYPE_ECHO_REQUEST, 0x4321_0007, "ping6"));
        SentPacket reply = child.onlySent();
        assertEquals(SERVER, reply.ip().source());
        assertEquals(CLIENT, reply.ip().destination());
        assertEquals(IpProtocol.ICMPV6, reply.ip().protocol());
        assertEquals(Icmpv6.TYPE_ECHO_REPLY, reply.icmpv6().type());
        assertEquals(0x4321_0007, reply.icmpv6().restOfHeader());
        byte[] echoed = new byte[reply.icmpv6().payloadLength()];
        reply.icmpv6().buffer().get(reply.icmpv6().payloadOffset(), echoed);
        assertEquals("ping6", new String(echoed, StandardCharsets.US_ASCII));

        Ipv6Address allNodes = Ipv6Address.parse("ff02::1");
        child.stack.receive(icmpv6(CLIENT, allNodes, Icmpv6.TYPE_ECHO_REQUEST, 1, "x"));
        int multicastListenerReport = 143;
        child.stack.receive(icmpv6(CLIENT, Ipv6Address.parse("ff02::16"), multicastListenerReport, 0, "...."));
        assertEquals(List.of(), child.sent());
        assertEquals(2, child.stack.stats().drops(DropReason.ICMP_IGNORED));
    }

    @Test
    void udpDatagramsGoBothWays() {
        byte[] query = "dns query".getBytes(StandardCharsets.US_ASCII);
        UdpHeader udp = new UdpHeader(53000, 53, query.length);
        child.stack.receive(withPayload(CLIENT, GATEWAY, IpProtocol.UDP, udp.length(), (buffer, at, ip) -> {
            buffer.put(at + 8, query);
            udp.emit(buffer, at, ip.pseudoHeaderSum());
        }));
        RecordingForwarder.Datagram datagram = child.forwarder.datagrams.get(0);
        FlowId flow = new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), 53000),
                new InetSocketAddress(GATEWAY.toInetAddress(), 53));
        assertEquals(flow, datagram.flow());
        assertArrayEquals(query, datagram.payload());

        child.stack.sendUdp(flow, ByteBuffer.wrap("dns answer".getBytes(StandardCharsets.US_ASCII)));
        SentPacket sent = child.onlySent();
        assertEquals(GATEWAY, sent.ip().source());
        assertEquals(CLIENT, sent.ip().destination());
        assertEquals(53, sent.udp().sourcePort());
        assertEquals("dns answer", StandardCharsets.US_ASCII.decode(sent.udp().payload()).toString());

        child.stack.sendUdp(flow, ByteBuffer.allocate(65520 - 40 - 8 + 1));
        assertEquals(List.of(), child.sent());
        assertEquals(1, child.stack.stats().drops(DropReason.UDP_TOO_LARGE), "the IPv6 header is 40 bytes");
    }

    @Test
    void aRefusedDatagramIsAnsweredWithIcmpv6PortUnreachableQuotingIt() {
        FlowId flow = new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), 53001),
                new InetSocketAddress(SERVER.toInetAddress(), 9));
        child.stack.sendIcmpPortUnreachable(flow, ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        SentPacket error = child.onlySent();
        assertEquals(SERVER, error.ip().source());
        assertEquals(CLIENT, error.ip().destination());
        assertEquals(Icmpv6.TYPE_DESTINATION_UNREACHABLE, error.icmpv6().type());
        assertEquals(Icmpv6.CODE_PORT_UNREACHABLE, error.icmpv6().code());
        ByteBuffer quote = error.icmpv6().buffer().slice(error.icmpv6().payloadOffset(), error.icmpv6().payloadLength());
        assertEquals(40 + 8 + 4, quote.remaining(), "the whole datagram: IPv6 header, UDP header, payload");
        assertEquals(17, quote.get(6), "next header: UDP");
        assertEquals(53001, quote.getShort(40) & 0xffff);
        assertEquals(9, quote.getShort(42) & 0xffff);

        child.stack.sendIcmpPortUnreachable(flow, ByteBuffer.allocate(4000));
        assertEquals(1280, child.onlySent().ip().totalLength(), "a long one is cut to the minimum IPv6 MTU");
    }

    @Test
    void fragmentsAndIpv4MappedAddressesAreDropped() {
        ByteBuffer fragment = withPayload(CLIENT, SERVER, new IpProtocol(Ipv6Packet.FRAGMENT), 16,
                (buffer, at, ip) -> buffer.put(at, (byte) 17).putShort(at + 2, (short) 1));
        child.stack.receive(fragment);
        Ipv6Address mapped = new Ipv6Address(0, 0xFFFF_0A01_0101L);
        child.stack.receive(icmpv6(CLIENT, mapped, Icmpv6.TYPE_ECHO_REQUEST, 1, "x"));
        assertEquals(List.of(), child.sent());
        assertEquals(1, child.stack.stats().drops(DropReason.FRAGMENT));
        assertEquals(1, child.stack.stats().drops(DropReason.UNSUPPORTED_ADDRESS));
    }

    /** Writes an upper-layer payload at {@code at}, after the IP header {@code ip}. */
    private interface PayloadWriter {
        void write(ByteBuffer buffer, int at, IpHeader ip);
    }

    private static ByteBuffer withPayload(Ipv6Address from, Ipv6Address to, IpProtocol protocol, int length,
                                          PayloadWriter payload) {
        IpHeader ip = TcpHarness.ipHeader(from, to, protocol, length);
        ByteBuffer buffer = ByteBuffer.allocate(ip.totalLength());
        ip.emit(buffer, 0);
        payload.write(buffer, ip.length(), ip);
        return buffer;
    }

    private static ByteBuffer icmpv6(Ipv6Address from, Ipv6Address to, int type, int restOfHeader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        return withPayload(from, to, IpProtocol.ICMPV6, Icmpv6Header.LENGTH + bytes.length, (buffer, at, ip) -> {
            buffer.put(at + Icmpv6Header.LENGTH, bytes);
            new Icmpv6Header(type, 0, restOfHeader).emit(buffer, at, bytes.length, ip.pseudoHeaderSum());
        });
    }
}
