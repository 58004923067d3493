package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.PacketSummary.Direction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden lines for {@code --dump-tcp}, over packets built with the wire headers. */
class PacketSummaryTest {
    private static final Ipv4Address CHILD = Ipv4Address.of(10, 1, 1, 100);
    private static final Ipv4Address SERVER = Ipv4Address.of(169, 254, 77, 65);
    private static final Ipv6Address CHILD6 = Ipv6Address.parse("fd77:6874:7470::100");
    private static final Ipv6Address SERVER6 = Ipv6Address.parse("fd77:6874:7470::a9fe:4d41");
    private static final TcpOptions LINUX_SYN_OPTIONS = new TcpOptions(65480, 7, true, true, (int) 3_000_000_001L, 0);

    @Test
    void synFromTheChildShowsItsOptions() {
        ByteBuffer syn = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 123, 0, TcpFlags.SYN, 64240, LINUX_SYN_OPTIONS), "");
        assertEquals("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [S] seq 123 win 64240 mss 65480 sackOK"
                + " TS val 3000000001 ecr 0 wscale 7 len 0", describe(syn, Direction.OUTGOING));
    }

    @Test
    void absurdOptionsAreShownAsTheyCame() {
        TcpOptions absurd = new TcpOptions(0, 255, false, false, 0, 0);
        ByteBuffer syn = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 1, 0, TcpFlags.SYN, 1024, absurd), "");
        assertEquals("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [S] seq 1 win 1024 mss 0 wscale 255 len 0",
                describe(syn, Direction.OUTGOING));
    }

    @Test
    void synAckToTheChildKeepsTheChildOnTheLeft() {
        TcpOptions options = new TcpOptions(1460, 7, false, false, 0, 0);
        ByteBuffer synAck = ipv4(SERVER, CHILD,
                new TcpHeader(8000, 46660, 0xFFFFFFFF, 124, TcpFlags.SYN | TcpFlags.ACK, 65535, options), "");
        assertEquals("tcp 10.1.1.100:46660 < 169.254.77.65:8000 [S.] seq 4294967295 ack 124 win 65535"
                + " mss 1460 wscale 7 len 0", describe(synAck, Direction.INCOMING));
    }

    @Test
    void dataShowsItsLengthAndNoOptions() {
        ByteBuffer data = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 124, 1001, TcpFlags.PSH | TcpFlags.ACK, 502,
                TcpOptions.timestamps(5, 6)), "GET / HTTP/1.1\r\n\r\n");
        assertEquals("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [P.] seq 124 ack 1001 win 502 len 18",
                describe(data, Direction.OUTGOING));
    }

    @Test
    void finAndResetLetters() {
        ByteBuffer fin = ipv4(SERVER, CHILD,
                new TcpHeader(8000, 46660, 2000, 142, TcpFlags.FIN | TcpFlags.ACK, 512, TcpOptions.NONE), "");
        ByteBuffer reset = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 142, 0, TcpFlags.RST, 0, TcpOptions.NONE), "");
        ByteBuffer none = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 142, 0, 0, 0, TcpOptions.NONE), "");
        assertEquals("tcp 10.1.1.100:46660 < 169.254.77.65:8000 [F.] seq 2000 ack 142 win 512 len 0",
                describe(fin, Direction.INCOMING));
        assertEquals("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [R] seq 142 win 0 len 0",
                describe(reset, Direction.OUTGOING));
        assertEquals("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [none] seq 142 win 0 len 0",
                describe(none, Direction.OUTGOING));
    }

    @Test
    void ipv6EndpointsAreBracketed() {
        TcpHeader tcp = new TcpHeader(50000, 443, 7, 0, TcpFlags.SYN, 64800, new TcpOptions(1440, TcpOptions.NO_WINDOW_SCALE, false, false, 0, 0));
        Ipv6Header ip = new Ipv6Header(CHILD6, SERVER6, IpProtocol.TCP, tcp.length(), 64);
        ByteBuffer packet = ByteBuffer.allocate(ip.totalLength());
        ip.emit(packet, 0);
        tcp.emit(packet, ip.length(), ip.pseudoHeaderSum(), 0);
        assertEquals("tcp [fd77:6874:7470::100]:50000 > [fd77:6874:7470::a9fe:4d41]:443 [S] seq 7 win 64800 mss 1440 len 0",
                describe(packet, Direction.OUTGOING));
    }

    @Test
    void otherProtocolsAreNotShown() {
        UdpHeader udp = new UdpHeader(53000, 53, 0);
        Ipv4Header ip = new Ipv4Header(CHILD, SERVER, IpProtocol.UDP, udp.length(), 64, 1);
        ByteBuffer packet = ByteBuffer.allocate(ip.totalLength());
        ip.emit(packet, 0);
        udp.emit(packet, ip.length(), ip.pseudoHeaderSum());
        assertEquals(Optional.empty(), PacketSummary.describeTcp(packet, 0, packet.capacity(), Direction.OUTGOING));
    }

    @Test
    void malformedPacketsGetAShortReason() {
        ByteBuffer packet = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 1, 0, TcpFlags.SYN, 1, TcpOptions.NONE), "");
        packet.put(Ipv4Header.LENGTH + 12, (byte) 0xF0); // data offset 60 bytes, past the segment's 20
        assertEquals("tcp > malformed: TCP: TCP data offset out of range (40 bytes)", describe(packet, Direction.OUTGOING));

        packet.put(10, (byte) (packet.get(10) ^ 1));
        assertEquals("tcp < malformed: IPv4: checksum mismatch (40 bytes)", describe(packet, Direction.INCOMING));

        assertEquals("tcp > malformed: IP: wrong IP version (3 bytes)",
                describe(ByteBuffer.wrap(new byte[] {0x10, 0, 0}), Direction.OUTGOING));
        assertEquals("tcp > malformed: IPv4: shorter than its headers (3 bytes)",
                describe(ByteBuffer.wrap(new byte[] {0x45, 0, 0}), Direction.OUTGOING));
    }

    @Test
    void anyBytesGiveALineOrNothingAndTheBufferIsLeftAlone() {
        ByteBuffer packet = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 1, 2, TcpFlags.ACK, 3, LINUX_SYN_OPTIONS), "x");
        for (int cut = 0; cut <= packet.capacity(); cut++) {
            for (int bit = 0; bit < 8 * cut; bit += 7) {
                ByteBuffer damaged = ByteBuffer.allocate(packet.capacity()).put(packet.duplicate().clear());
                damaged.put(bit / 8, (byte) (damaged.get(bit / 8) ^ (1 << (bit % 8))));
                damaged.position(3).limit(9);
                Optional<String> line = PacketSummary.describeTcp(damaged, 0, cut, Direction.OUTGOING);
                assertTrue(line.isEmpty() || line.get().startsWith("tcp "));
                assertEquals(3, damaged.position());
                assertEquals(9, damaged.limit());
            }
        }
    }

    @Test
    void describesThePacketAtAnOffset() {
        ByteBuffer packet = ipv4(CHILD, SERVER, new TcpHeader(46660, 8000, 9, 0, TcpFlags.SYN, 1, TcpOptions.NONE), "");
        ByteBuffer batch = ByteBuffer.allocate(100);
        batch.position(30).put(packet.duplicate().clear());
        assertEquals(Optional.of("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [S] seq 9 win 1 len 0"),
                PacketSummary.describeTcp(batch, 30, packet.capacity(), Direction.OUTGOING));
    }

    private static String describe(ByteBuffer packet, Direction direction) {
        return PacketSummary.describeTcp(packet, 0, packet.capacity(), direction).orElseThrow();
    }

    private static ByteBuffer ipv4(Ipv4Address source, Ipv4Address destination, TcpHeader tcp, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        Ipv4Header ip = new Ipv4Header(source, destination, IpProtocol.TCP, tcp.length() + data.length, 64, 1);
        ByteBuffer packet = ByteBuffer.allocate(ip.totalLength());
        packet.put(ip.length() + tcp.length(), data);
        ip.emit(packet, 0);
        tcp.emit(packet, ip.length(), ip.pseudoHeaderSum(), data.length);
        return packet;
    }
}
