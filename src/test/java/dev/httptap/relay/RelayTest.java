package dev.httptap.relay;

import static dev.httptap.relay.LoopHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.Clock;
import dev.httptap.stack.FlowId;
import dev.httptap.stack.Forwarder;
import dev.httptap.stack.PacketOutput;
import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole relay with an in-memory device and a fake stack: the seam the real stack plugs into. */
class RelayTest {
    private static final InetSocketAddress CHILD = new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 2), 41000);

    private final FakeDevice device = new FakeDevice();
    private final FakeStack stack = new FakeStack();
    private final RecordingObserver observer = new RecordingObserver();
    private final List<InetSocketAddress> dialled = new ArrayList<>();
    private Runnable roundEnd = () -> {};
    private Relay relay;

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void packetsGoThroughTheStackAndBackOutInOrder() throws IOException {
        stack.onPacket = packet -> stack.output.send(packet);
        start();

        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] packet = Pattern.bytes(i * 7919L, 20 + i % 1500);
            sent.add(packet);
            device.incoming.add(packet);
        }

        await("every packet comes back", () -> device.written().size() == sent.size());
        List<byte[]> written = device.written();
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), written.get(i), "packet " + i);
        }
    }

    @Test
    void eachRoundEndsWithTheOwnersTaskOnTheLoopThread() throws IOException {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger receivedAtRoundEnd = new java.util.concurrent.atomic.AtomicInteger();
        List<String> roundEndThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        stack.onPacket = packet -> received.incrementAndGet();
        roundEnd = () -> {
            receivedAtRoundEnd.set(received.get());
            roundEndThreads.add(Thread.currentThread().getName());
        };
        for (int i = 0; i < 100; i++) {
            device.incoming.add(new byte[20]);
        }
        start();

        await("a round ends after the packets", () -> receivedAtRoundEnd.get() == 100);
        assertEquals(List.of("httptap-relay"), roundEndThreads.stream().distinct().toList());
    }

    @Test
    void aStuckLoopStopsTheReaderAtThePoolsBound() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        stack.onPacket = packet -> {
            try {
                release.await(LoopHarness.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.incrementAndGet();
        };
        int total = 5000;
        for (int i = 0; i < total; i++) {
            device.incoming.add(new byte[20]);
        }
        start();

        int bound = Relay.BATCHES * PacketBatch.MAX_PACKETS;
        await("the reader fills every batch", () -> device.incoming.size() == total - bound);
        assertEquals(0, received.get());
        assertEquals(total - bound, device.incoming.size(), "the reader waits for the loop");

        release.countDown();
        await("every packet reaches the stack", () -> received.get() == total);
    }

    @Test
    void tcpToTheHostAliasIsDialledOnLoopbackAndResetOnClose() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            FakeTcpConnection connection = new FakeTcpConnection(
                    new FlowId(CHILD, new InetSocketAddress(RelayConfig.ipv4(169, 254, 77, 65), port)),
                    FakeTcpConnection.UNLIMITED);
            FakeConnectRequest request = new FakeConnectRequest(connection);
            stack.onPacket = packet -> stack.forwarder.onTcpConnectRequest(request);
            start();

            device.incoming.add(new byte[20]);
            try (SocketChannel peer = server.accept()) {
                await("the SYN is accepted", () -> request.answer() == FakeConnectRequest.Answer.ACCEPTED);

                relay.close(); // joins the loop thread, which reports the dial just after accepting

                assertEquals(List.of(new InetSocketAddress("127.0.0.1", port)), dialled());
                assertEquals(List.of("close-reset"), observer.events());
                assertEquals(true, connection.aborted());
            }
        }
    }

    @Test
    void tcpToTheGatewayIsRefusedExceptDns() throws IOException {
        FakeConnectRequest web = new FakeConnectRequest(new FakeTcpConnection(
                new FlowId(CHILD, new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 1), 80)), 0));
        stack.onPacket = packet -> stack.forwarder.onTcpConnectRequest(web);
        start();

        device.incoming.add(new byte[20]);

        await("the SYN is answered", () -> web.answer() != FakeConnectRequest.Answer.NONE);
        assertEquals(FakeConnectRequest.Answer.REFUSED, web.answer());
    }

    @Test
    void theHostsLoopbackIsReachedOnlyThroughTheAliasNotByItsOwnAddresses() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<FakeConnectRequest> requests = List.of(
                    new FakeConnectRequest(new FakeTcpConnection(new FlowId(CHILD,
                            new InetSocketAddress(RelayConfig.ipv4(127, 0, 0, 1), port)), 0)),
                    new FakeConnectRequest(new FakeTcpConnection(new FlowId(CHILD,
                            new InetSocketAddress(RelayConfig.ipv4(127, 1, 2, 3), port)), 0)),
                    new FakeConnectRequest(new FakeTcpConnection(new FlowId(CHILD,
                            new InetSocketAddress(RelayConfig.ipv4(0, 0, 0, 0), port)), 0)),
                    new FakeConnectRequest(new FakeTcpConnection(new FlowId(CHILD,
                            new InetSocketAddress(RelayConfig.ipv6Loopback(), port)), 0)));
            FlowId udp = new FlowId(CHILD, new InetSocketAddress(RelayConfig.ipv4(127, 0, 0, 53), 53));
            stack.onPacket = packet -> {
                requests.forEach(stack.forwarder::onTcpConnectRequest);
                stack.forwarder.onUdpDatagram(udp, ByteBuffer.wrap(new byte[] {1}));
            };
            start();

            device.incoming.add(new byte[20]);

            // The datagram comes after the SYNs on the relay's thread: waiting for the SYNs alone raced with it.
            await("every SYN is answered and the datagram refused", () -> !stack.refused.isEmpty()
                    && requests.stream().allMatch(r -> r.answer() != FakeConnectRequest.Answer.NONE));
            requests.forEach(request -> assertEquals(FakeConnectRequest.Answer.REFUSED, request.answer()));
            assertEquals(List.of(udp), stack.refused);
            assertEquals(List.of(), dialled());
        }
    }

    @Test
    void dnsToTheGatewayIsAnsweredThroughTheStack() throws IOException {
        FlowId flow = new FlowId(CHILD, new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 1), 53));
        byte[] query = hex("0102 0100 0001 0000 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001");
        stack.onPacket = packet -> stack.forwarder.onUdpDatagram(flow, ByteBuffer.wrap(query));
        start();

        device.incoming.add(new byte[20]);

        await("the answer is sent", () -> stack.udp.sent().size() == 1);
        assertEquals(flow, stack.udp.sent().get(0).flow());
        assertArrayEquals(hex("""
                0102 8580 0001 0001 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """), stack.udp.sent().get(0).payload());
    }

    private void start() throws IOException {
        RelayConfig config = RelayConfig.defaults().withDnsServers(List.of(new InetSocketAddress("127.0.0.1", 53)));
        relay = new Relay(device, config, FlowHandlerFactory.observing((flow, upstream) -> {
            synchronized (dialled) {
                dialled.add(upstream);
            }
            return observer;
        }), DnsObserver.NONE, UpstreamObserver.NONE, stack, Clock.SYSTEM,
                BufferBudget.unlimited());
        relay.atEndOfEachRound(roundEnd);
        relay.start();
    }

    private List<InetSocketAddress> dialled() {
        synchronized (dialled) {
            return List.copyOf(dialled);
        }
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    /** Packets queued by the test come out of {@link #read}; written packets are recorded. */
    private static final class FakeDevice implements PacketDevice {
        final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
        private final List<byte[]> written = new ArrayList<>();

        @Override
        public int read(ByteBuffer dst, int timeoutMillis) throws IOException {
            try {
                byte[] packet = incoming.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                if (packet == null) {
                    return 0;
                }
                dst.put(packet);
                return packet.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public synchronized void write(ByteBuffer packet) {
            byte[] copy = new byte[packet.remaining()];
            packet.get(copy);
            written.add(copy);
        }

        synchronized List<byte[]> written() {
            return List.copyOf(written);
        }

        @Override
        public void close() {}
    }

    /** Runs the test's action for each packet, with the relay's output and forwarder at hand. */
    private static final class FakeStack implements PacketStack, PacketStack.Factory {
        final RecordingUdpSender udp = new RecordingUdpSender();
        final List<FlowId> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile Consumer<ByteBuffer> onPacket = packet -> {};
        PacketOutput output;
        Forwarder forwarder;

        @Override
        public PacketStack create(PacketOutput packetOutput, Forwarder packetForwarder) {
            output = packetOutput;
            forwarder = packetForwarder;
            return this;
        }

        @Override
        public void receive(ByteBuffer packet, boolean checksumTrusted) {
            onPacket.accept(packet);
        }

        @Override
        public long runTimers() {
            return Long.MAX_VALUE;
        }

        @Override
        public void sendUdp(FlowId flow, ByteBuffer payload) {
            udp.sendUdp(flow, payload);
        }

        @Override
        public void refuse(FlowId flow, ByteBuffer payload) {
            refused.add(flow);
        }
    }
}
