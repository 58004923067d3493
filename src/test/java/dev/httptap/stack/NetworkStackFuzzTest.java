package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.wire.FuzzedPackets;
import dev.httptap.wire.IpProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack fed a fuzzed conversation, on one thread with a manual clock: raw bytes, and TCP, UDP and ICMP
 * packets with right (or wrong) checksums whose flags, numbers, options and payloads the fuzzer picks,
 * mixed with time passing and the relay side reading, writing, closing and aborting. Whatever arrives, no
 * packet reaches the stack's internal-error path, every packet it sends is well formed and fits the MTU,
 * and it keeps no more connections than it was sent packets.
 */
class NetworkStackFuzzTest {
    private static final StackConfig CONFIG = new StackConfig(1500, 4000, 3000, 64);
    private static final int OUR_ISS = 5000;
    private static final int CHILD_ISN = 1000;
    private static final int[] PORTS = {40000, 40001, 80};
    private static final int TCP_CHECKSUM_OFFSET = 16;

    @FuzzTest
    void packets(FuzzedDataProvider data) {
        ManualClock clock = new ManualClock();
        List<byte[]> sent = new ArrayList<>();
        List<TcpConnection> connections = new ArrayList<>();
        Forwarder forwarder = new Forwarder() {
            @Override
            public void onTcpConnectRequest(TcpConnectRequest request) {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> request.refuse();
                    case 1 -> request.unreachable();
                    default -> connections.add(request.accept(new DrainingListener()));
                }
            }

            @Override
            public void onUdpDatagram(FlowId flow, ByteBuffer payload) {
                assertTrue(payload.remaining() <= CONFIG.mtu(), "a datagram larger than the MTU");
            }
        };
        NetworkStack stack = new NetworkStack(CONFIG, BufferBudget.unlimited(), clock, packet -> sent.add(copy(packet)), forwarder, () -> OUR_ISS);
        for (int step = 0; step < 40 && data.remainingBytes() > 0; step++) {
            boolean ipv6 = data.consumeBoolean();
            switch (data.consumeInt(0, 6)) {
                case 0 -> stack.receive(ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, 200))));
                case 1 -> {
                    stack.receive(FuzzedPackets.wrap(ipv6, IpProtocol.TCP, tcpSegment(data),
                            data.consumeBoolean() ? TCP_CHECKSUM_OFFSET : -1, true));
                }
                case 2 -> stack.receive(FuzzedPackets.wrap(ipv6, IpProtocol.UDP, data.consumeBytes(data.consumeInt(0, 100)),
                        6, true));
                case 3 -> stack.receive(FuzzedPackets.wrap(ipv6, ipv6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP,
                        data.consumeBytes(data.consumeInt(0, 100)), 2, ipv6));
                case 4 -> {
                    clock.advanceMillis(data.consumeLong(0, 300_000));
                    stack.runTimers();
                }
                case 5 -> relaySide(data, connections);
                default -> stack.receive(FuzzedPackets.wrap(ipv6, IpProtocol.of(data.consumeInt(0, 255)),
                        data.consumeBytes(data.consumeInt(0, 100)), -1, false));
            }
            assertEquals(0, stack.stats().drops(DropReason.INTERNAL_ERROR), "a packet reached the internal-error path");
            for (byte[] packet : sent) {
                assertTrue(packet.length <= CONFIG.mtu(), "a packet over the MTU");
                SentPacket.parse(packet); // throws on a malformed packet
            }
            sent.clear();
            assertTrue(stack.stats().openConnections() <= step + 1, "more connections than packets");
        }
    }

    /** A TCP header near the numbers of a real conversation (or anywhere), fuzzed options, a payload. */
    private static byte[] tcpSegment(FuzzedDataProvider data) {
        byte[] options = data.consumeBytes(data.consumeInt(0, 40) & ~3);
        byte[] payload = data.consumeBytes(data.consumeInt(0, 1600));
        ByteBuffer segment = ByteBuffer.allocate(20 + options.length + payload.length);
        segment.putShort((short) data.pickValue(PORTS)).putShort((short) 80);
        segment.putInt(data.consumeBoolean() ? CHILD_ISN + data.consumeInt(-5, 70_000) : data.consumeInt());
        segment.putInt(data.consumeBoolean() ? OUR_ISS + data.consumeInt(-5, 70_000) : data.consumeInt());
        int dataOffset = data.consumeBoolean() ? (20 + options.length) / 4 : data.consumeInt(0, 15);
        segment.put((byte) (dataOffset << 4)).put(data.consumeByte()).putShort(data.consumeShort());
        segment.putShort((short) 0).putShort(data.consumeShort());
        segment.put(options).put(payload);
        return segment.array();
    }

    /** What the relay does with a connection: read, write, half-close, abort. */
    private static void relaySide(FuzzedDataProvider data, List<TcpConnection> connections) {
        if (connections.isEmpty()) {
            return;
        }
        TcpConnection connection = connections.get(data.consumeInt(0, connections.size() - 1));
        switch (data.consumeInt(0, 3)) {
            case 0 -> connection.read(ByteBuffer.allocate(data.consumeInt(0, 10_000)));
            case 1 -> assertTrue(connection.write(ByteBuffer.allocate(data.consumeInt(0, 10_000))) <= CONFIG.sendBufferBytes());
            case 2 -> connection.shutdownOutput();
            default -> connection.abort();
        }
    }

    private static byte[] copy(ByteBuffer packet) {
        byte[] bytes = new byte[packet.remaining()];
        packet.duplicate().get(bytes);
        return bytes;
    }

    /** Reads whatever arrives, as the relay does, so that windows open again. */
    private static final class DrainingListener implements TcpConnection.Listener {
        @Override
        public void onReadable(TcpConnection connection) {
            connection.read(ByteBuffer.allocate(8192));
        }
    }
}
