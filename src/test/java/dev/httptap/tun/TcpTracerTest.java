package dev.httptap.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.UdpHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --dump-tcp} lines, through the observing decorator over an in-memory device. */
class TcpTracerTest {
    private static final Ipv4Address CHILD = Ipv4Address.of(10, 1, 1, 100);
    private static final Ipv4Address SERVER = Ipv4Address.of(169, 254, 77, 65);

    private final FakeDevice fake = new FakeDevice();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ObservedDevice device = new ObservedDevice(fake, new TcpTracer(new PrintStream(printed, true, StandardCharsets.UTF_8)));

    @Test
    void readPacketsArePrintedAsFromTheChildAndLandWhereTheDeviceWroteThem() throws Exception {
        byte[] syn = segment(CHILD, SERVER, 46660, 8000, TcpFlags.SYN);
        fake.toRead.add(syn);
        ByteBuffer batch = ByteBuffer.allocateDirect(200);
        batch.position(17);

        assertEquals(syn.length, device.read(batch, 0));

        assertEquals(17 + syn.length, batch.position(), "position as the device left it");
        assertEquals(200, batch.limit());
        assertEquals(List.of("tcp 10.1.1.100:46660 > 169.254.77.65:8000 [S] seq 1 win 1000 len 0"), lines());
    }

    @Test
    void writtenPacketsArePrintedAsToTheChildAndPassedOnUntouched() throws Exception {
        byte[] synAck = segment(SERVER, CHILD, 8000, 46660, TcpFlags.SYN | TcpFlags.ACK);
        ByteBuffer packet = ByteBuffer.allocate(synAck.length + 10);
        packet.position(10);
        packet.put(synAck).flip().position(10);

        device.write(packet);

        assertSame(packet, fake.written.get(0), "the caller's buffer itself, not a copy");
        assertEquals(10, fake.writtenPositions.get(0), "the wrapped device saw the caller's position");
        assertEquals(10, packet.position());
        assertEquals(List.of("tcp 10.1.1.100:46660 < 169.254.77.65:8000 [S.] seq 1 ack 2 win 1000 len 0"), lines());
    }

    @Test
    void emptyReadsAndNonTcpPacketsPrintNothing() throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(100);
        assertEquals(0, device.read(buffer, 0));
        fake.toRead.add(new byte[] {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 1, 1, 100, 10, 1, 1, 1});
        UdpHeader udp = new UdpHeader(53, 53000, 0);
        Ipv4Header ip = new Ipv4Header(SERVER, CHILD, IpProtocol.UDP, udp.length(), 64, 1);
        ByteBuffer datagram = ByteBuffer.allocate(ip.totalLength());
        ip.emit(datagram, 0);
        udp.emit(datagram, ip.length(), ip.pseudoHeaderSum());
        device.write(datagram);
        device.read(buffer, 0);
        assertEquals(List.of("tcp > malformed: IPv4: checksum mismatch (20 bytes)"), lines(), "only the bad one");
    }

    @Test
    void closeClosesTheWrappedDevice() throws Exception {
        device.close();
        assertTrue(fake.closed);
    }

    private List<String> lines() {
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "whole lines");
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static byte[] segment(Ipv4Address source, Ipv4Address destination, int sourcePort, int destinationPort,
                                  int flags) {
        TcpHeader tcp = new TcpHeader(sourcePort, destinationPort, 1, 2, flags, 1000, TcpOptions.NONE);
        Ipv4Header ip = new Ipv4Header(source, destination, IpProtocol.TCP, tcp.length(), 64, 1);
        ByteBuffer packet = ByteBuffer.allocate(ip.totalLength());
        ip.emit(packet, 0);
        tcp.emit(packet, ip.length(), ip.pseudoHeaderSum(), 0);
        return packet.array();
    }

    /** Hands out queued packets the way the TUN device does (position advanced); records what is written. */
    private static final class FakeDevice implements PacketDevice {
        final ArrayDeque<byte[]> toRead = new ArrayDeque<>();
        final List<ByteBuffer> written = new ArrayList<>();
        final List<Integer> writtenPositions = new ArrayList<>();
        boolean closed;

        @Override
        public int read(ByteBuffer dst, int timeoutMillis) {
            byte[] packet = toRead.poll();
            if (packet == null) {
                return 0;
            }
            dst.put(packet);
            return packet.length;
        }

        @Override
        public void write(ByteBuffer packet) {
            written.add(packet);
            writtenPositions.add(packet.position());
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
