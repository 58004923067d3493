package dev.httptap.relay;

import static dev.httptap.relay.LoopHarness.await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP relay against a real server on 127.0.0.1 and a fake child connection. */
class TcpRelayTest {
    private static final FlowId FLOW = new FlowId(
            new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 2), 40000),
            new InetSocketAddress(RelayConfig.ipv4(93, 184, 215, 14), 80));

    private LoopHarness harness;
    private TcpRelay relay;
    private ServerSocketChannel server;
    private final RecordingObserver observer = new RecordingObserver();
    private FlowObserver observerToUse = observer;
    private FlowHandlerFactory handlersToUse = FlowHandlerFactory.observing((flow, upstream) -> observerToUse);
    private final List<String> upstreamEvents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        harness = new LoopHarness();
        relay = harness.onLoop(() -> new TcpRelay(harness.loop.selector(), harness.loop.clock(),
                ByteBuffer.allocateDirect(Splice.SERVER_READ_BYTES), BufferBudget.unlimited(), TimeUnit.SECONDS.toNanos(30),
                (flow, upstream, peers) -> handlersToUse.open(flow, upstream, peers), new UpstreamObserver() {
                    @Override
                    public void onConnected(FlowId flow, InetSocketAddress upstream, long dialStart, long connected) {
                        upstreamEvents.add("connected " + flow.equals(FLOW) + " " + (connected >= dialStart));
                    }

                    @Override
                    public void onConnectFailed(FlowId flow, InetSocketAddress upstream, String reason) {
                        upstreamEvents.add("failed " + flow.equals(FLOW) + " " + reason);
                    }
                }, EgressGate.open()));
        harness.addTimers(relay::expire, relay::closeAll);
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() throws IOException {
        harness.close();
        server.close();
    }

    @Test
    void relaysBytesBothWaysUnchangedAndTellsTheObserverEverything() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        childSends(request, child, "GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
        assertArrayEquals("GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII), readExactly(peer, 18));
        peer.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\n".getBytes(US_ASCII)));
        await("the reply reaches the child", () -> child.receivedByChildCount() == 19);

        childFinishes(request, child);
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "the server sees the child's FIN");
        peer.close();
        await("the server's FIN reaches the child", child::outputShutdown);
        await("the relay closes", () -> observer.events().contains("close"));

        assertEquals("HTTP/1.1 200 OK\r\n\r\n", new String(child.receivedByChild(), US_ASCII));
        assertEquals("GET / HTTP/1.1\r\n\r\n", new String(observer.clientBytes(), US_ASCII));
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", new String(observer.serverBytes(), US_ASCII));
        assertEquals(List.of("client-end", "server-end", "close"), observer.events());
        assertEquals(0, harness.onLoop(relay::spliceCount));
    }

    @Test
    void aHandlerThatDoublesEveryByteGetsAllThroughWithBoundedBuffering() throws Exception {
        handlersToUse = (flow, upstream, peers) -> new DoublingHandler(peers);
        long size = 1L << 20;
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();
        harness.onLoop(() -> {
            child.childSendsPattern(size);
            request.listener().onReadable(child);
        });
        Splice splice = (Splice) request.listener();
        ByteBuffer pair = ByteBuffer.allocate(2);
        for (long offset = 0; offset < size; offset++) {
            pair.clear();
            while (pair.hasRemaining()) {
                assertTrue(peer.read(pair) >= 0, "the server connection ended early");
            }
            assertEquals(Pattern.byteAt(offset), pair.get(0), "at " + offset);
            assertEquals(Pattern.byteAt(offset), pair.get(1), "at " + offset);
            if (offset % 65536 == 0) {
                assertTrue(harness.onLoop(splice::bufferedBytes) <= PendingBytes.MAX_BYTES);
            }
        }
    }

    /** Sends every client byte twice: output twice the input, as no real handler does, to stress the bounds. */
    private static final class DoublingHandler extends ForwardingHandler {
        DoublingHandler(FlowPeers peers) {
            super(peers);
        }

        @Override
        public void onClientData(ByteBuffer data) {
            ByteBuffer doubled = ByteBuffer.allocate(2 * data.remaining());
            while (data.hasRemaining()) {
                byte b = data.get();
                doubled.put(b).put(b);
            }
            super.onClientData(doubled.flip());
        }
    }

    @Test
    void relaysLargeTransfersInOrder() throws Exception {
        long size = 8L << 20;
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        Thread serverSide = new Thread(() -> {
            try {
                assertPatternArrives(peer, size);
                writePattern(peer, size);
                peer.shutdownOutput();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        serverSide.start();
        harness.onLoop(() -> {
            child.childSendsPattern(size);
            child.childFinishes();
            request.listener().onReadable(child);
        });
        long[] checked = {0};
        await("the server's bytes reach the child", () -> {
            byte[] arrived = child.takeReceivedByChild();
            assertArrayEquals(Pattern.bytes(checked[0], arrived.length), arrived);
            checked[0] += arrived.length;
            return checked[0] == size && child.outputShutdown();
        });
        serverSide.join(LoopHarness.WAIT_MILLIS);
        await("the relay closes", () -> observer.events().contains("close"));
        assertEquals(size, observer.clientCount());
        assertEquals(size, observer.serverCount());
    }

    @Test
    void aChildWithNoRoomStopsTheRelayReadingTheServer() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, 0);
        connect(child);
        SocketChannel peer = server.accept();
        peer.configureBlocking(false);

        long limit = 256L << 20;
        long written = writeUntilStalled(peer, limit);

        assertTrue(written < limit, "the server could write " + written + " bytes: the relay kept reading");
        assertEquals(0, child.receivedByChildCount());
        assertEquals(0, observer.serverCount());

        peer.configureBlocking(true);
        FakeConnectRequest request = lastRequest;
        harness.onLoop(() -> {
            child.setRoom(FakeTcpConnection.UNLIMITED);
            request.listener().onWritable(child);
        });
        long[] checked = {0};
        await("everything written reaches the child", () -> {
            byte[] arrived = child.takeReceivedByChild();
            assertArrayEquals(Pattern.bytes(checked[0], arrived.length), arrived);
            checked[0] += arrived.length;
            return checked[0] == written;
        });
    }

    @Test
    void aChildWithLittleRoomGetsExactlyThatMuch() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, 1000);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        writePattern(peer, 5000);
        await("the child's room fills", () -> child.receivedByChildCount() == 1000);
        for (int delivered = 1000; delivered < 5000; delivered += 1000) {
            harness.onLoop(() -> {
                child.setRoom(1000);
                request.listener().onWritable(child);
            });
            long expected = delivered + 1000;
            await("the next 1000 bytes", () -> child.receivedByChildCount() == expected);
        }
        assertArrayEquals(Pattern.bytes(0, 5000), child.receivedByChild());
    }

    @Test
    void aServerThatStopsReadingStopsTheRelayReadingTheChild() throws IOException {
        long size = 256L << 20;
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        harness.onLoop(() -> {
            child.childSendsPattern(size);
            request.listener().onReadable(child);
        });
        Splice splice = (Splice) request.listener();
        await("the relay stops taking the child's bytes", () -> harness.onLoop(splice::bufferedBytes) > 0);
        long consumed = child.patternConsumed();

        assertTrue(consumed < size, "the relay took all the child sent");
        assertTrue(harness.onLoop(splice::bufferedBytes) <= Splice.CHUNK_BYTES);
        assertEquals(consumed, harness.onLoop(child::patternConsumed), "no more was read while the server was stuck");

        assertPatternArrives(peer, size);
        assertEquals(size, child.patternConsumed());
    }

    @Test
    void theServerCanStillReceiveAfterItFinishedSending() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        peer.write(ByteBuffer.wrap("bye".getBytes(US_ASCII)));
        peer.shutdownOutput();
        await("the server's FIN reaches the child", child::outputShutdown);
        childSends(request, child, "still here".getBytes(US_ASCII));
        assertArrayEquals("still here".getBytes(US_ASCII), readExactly(peer, 10));
        childFinishes(request, child);
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)));

        await("the relay closes", () -> observer.events().contains("close"));
        assertEquals("bye", new String(child.receivedByChild(), US_ASCII));
        assertEquals(List.of("server-end", "client-end", "close"), observer.events());
    }

    @Test
    void aChildResetResetsTheServer() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        harness.onLoop(() -> request.listener().onReset(child));

        SocketException error = assertThrows(SocketException.class, () -> peer.read(ByteBuffer.allocate(1)));
        assertTrue(error.getMessage().contains("reset"), error.getMessage());
        assertEquals(List.of("close-reset"), observer.events());
    }

    @Test
    void aServerResetResetsTheChild() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        connect(child);
        SocketChannel peer = server.accept();

        peer.setOption(StandardSocketOptions.SO_LINGER, 0);
        peer.close();

        await("the child is reset", child::aborted);
        await("the observer hears of it", () -> observer.events().contains("close-reset"));
        assertEquals(0, harness.onLoop(relay::spliceCount));
    }

    @Test
    void aRefusedDialRefusesTheChild() throws IOException {
        InetSocketAddress closedPort = (InetSocketAddress) server.getLocalAddress();
        server.close();
        FakeConnectRequest request = new FakeConnectRequest(new FakeTcpConnection(FLOW, 0));

        harness.onLoop(() -> relay.connect(request, closedPort, EgressGate.Admission.UNWATCHED));

        await("the dial is answered", () -> request.answer() != FakeConnectRequest.Answer.NONE);
        assertEquals(FakeConnectRequest.Answer.REFUSED, request.answer());
        assertEquals(0, harness.onLoop(relay::pendingCount));
        await("the failure is reported", () -> !upstreamEvents.isEmpty());
        assertEquals(List.of("failed true connection refused"), upstreamEvents);
    }

    @Test
    void aSuccessfulDialIsReportedWithItsTimes() throws IOException {
        connect(new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED));

        await("the dial is reported", () -> !upstreamEvents.isEmpty());
        assertEquals(List.of("connected true true"), upstreamEvents);
    }

    @Test
    void aFailingObserverDoesNotStopTheBytes() throws IOException {
        assertBytesFlowPastAnObserverThrowing(new IllegalStateException("observer bug"));
    }

    @Test
    void anErrorFromAnObserverStopsTheObservingButNotTheBytes() throws IOException {
        assertBytesFlowPastAnObserverThrowing(new StackOverflowError("a parser recursed too deep"));
    }

    private void assertBytesFlowPastAnObserverThrowing(Throwable failure) throws IOException {
        observerToUse = new FlowObserver() {
            @Override
            public void onClientData(ByteBuffer data) {
                sneakyThrow(failure);
            }
        };
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();

        childSends(request, child, "one".getBytes(US_ASCII));
        childSends(request, child, "two".getBytes(US_ASCII));

        assertArrayEquals("onetwo".getBytes(US_ASCII), readExactly(peer, 6));
        assertFalse(child.aborted());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
        throw (T) failure;
    }

    @Test
    void stoppingTheLoopResetsLiveConnections() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        connect(child);
        SocketChannel peer = server.accept();

        harness.close();

        assertTrue(child.aborted());
        assertEquals(List.of("close-reset"), observer.events());
        assertThrows(SocketException.class, () -> peer.read(ByteBuffer.allocate(1)));
    }

    @Test
    void anErrorInOneConnectionsHandlerResetsThatConnectionAndTheLoopServesTheOthers() throws IOException {
        FlowHandlerFactory normal = handlersToUse;
        handlersToUse = (flow, upstream, peers) -> new ServerDataOverflow(peers);
        FakeTcpConnection failing = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        connect(failing);
        SocketChannel failingPeer = server.accept();
        handlersToUse = normal;

        failingPeer.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\n".getBytes(US_ASCII)));
        await("the failing connection is reset", failing::aborted);
        await("its splice is gone", () -> harness.onLoop(relay::spliceCount) == 0);

        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        SocketChannel peer = server.accept();
        childSends(request, child, "ping".getBytes(US_ASCII));
        assertArrayEquals("ping".getBytes(US_ASCII), readExactly(peer, 4));
        peer.write(ByteBuffer.wrap("pong".getBytes(US_ASCII)));
        await("the reply reaches the child", () -> child.receivedByChildCount() == 4);
    }

    @Test
    void anErrorFromTheStacksSideResetsTheConnectionInsteadOfEscapingToThePacketLoop() throws IOException {
        handlersToUse = (flow, upstream, peers) -> new ClientDataOverflow(peers);
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connect(child);
        server.accept();
        childSends(request, child, "GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
        assertTrue(child.aborted());
        assertEquals(0, harness.onLoop(relay::spliceCount));
    }

    /** A handler whose parser overflows its stack on the server's first bytes. */
    private static final class ServerDataOverflow extends ForwardingHandler {
        ServerDataOverflow(FlowPeers peers) {
            super(peers);
        }

        @Override
        public void onServerData(ByteBuffer data) {
            throw new StackOverflowError("a parser recursed too deep");
        }
    }

    /** A handler that runs out of memory on the child's first bytes. */
    private static final class ClientDataOverflow extends ForwardingHandler {
        ClientDataOverflow(FlowPeers peers) {
            super(peers);
        }

        @Override
        public void onClientData(ByteBuffer data) {
            throw new OutOfMemoryError("no room for the child's bytes");
        }
    }

    /**
     * The first server connection is dropped for a new one: the server that answered "ask" never hears of the
     * child again, the new one gets the held bytes first and then the child's, and answers the child itself.
     */
    @Test
    void aRedialReplacesTheServerConnectionWithTheHeldBytesFirst() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connectRedialing(child);
        SocketChannel first = server.accept();
        childSends(request, child, "hello".getBytes(US_ASCII));
        assertArrayEquals("probe".getBytes(US_ASCII), readExactly(first, 5));
        first.write(ByteBuffer.wrap("ask".getBytes(US_ASCII)));

        SocketChannel second = server.accept();
        assertArrayEquals("hello".getBytes(US_ASCII), readExactly(second, 5), "the held bytes, first");
        assertEquals(-1, first.read(ByteBuffer.allocate(1)), "the first connection is closed");
        childSends(request, child, " again".getBytes(US_ASCII));
        assertArrayEquals(" again".getBytes(US_ASCII), readExactly(second, 6));
        second.write(ByteBuffer.wrap("answer".getBytes(US_ASCII)));
        second.shutdownOutput();
        await("the new server's FIN reaches the child", child::outputShutdown);

        assertEquals("answer", new String(child.receivedByChild(), US_ASCII), "nothing of the first server's");
        assertFalse(child.aborted());
        first.close();
        second.close();
    }

    @Test
    void aRefusedRedialResetsTheChild() throws IOException {
        FakeTcpConnection child = new FakeTcpConnection(FLOW, FakeTcpConnection.UNLIMITED);
        FakeConnectRequest request = connectRedialing(child);
        SocketChannel first = server.accept();
        server.close(); // nothing listens for the second dial
        childSends(request, child, "hello".getBytes(US_ASCII));
        readExactly(first, 5);
        first.write(ByteBuffer.wrap("ask".getBytes(US_ASCII)));

        await("the child is reset", child::aborted);
        assertEquals(0, harness.onLoop(relay::spliceCount));
        first.close();
    }

    private FakeConnectRequest connectRedialing(FakeTcpConnection child) throws IOException {
        handlersToUse = (flow, upstream, peers) -> new RedialingHandler(peers);
        return connect(child);
    }

    /**
     * Holds the child's bytes and sends "probe" in their place; the server's answer makes it dial again and
     * send the held bytes to the new connection, forwarding everything from then on.
     */
    private static final class RedialingHandler extends ForwardingHandler {
        private final FlowPeers peers;
        private final java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
        private boolean redialed;

        RedialingHandler(FlowPeers peers) {
            super(peers);
            this.peers = peers;
        }

        @Override
        public void onClientData(ByteBuffer data) {
            if (redialed) {
                super.onClientData(data);
                return;
            }
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            held.writeBytes(bytes);
            peers.sendToServer(ByteBuffer.wrap("probe".getBytes(US_ASCII)));
        }

        @Override
        public void onServerData(ByteBuffer data) {
            if (redialed) {
                super.onServerData(data);
                return;
            }
            redialed = peers.redial();
            peers.sendToServer(ByteBuffer.wrap(held.toByteArray()));
        }
    }

    private static class ForwardingHandler implements FlowHandler {
        private final FlowPeers peers;

        ForwardingHandler(FlowPeers peers) {
            this.peers = peers;
        }

        @Override
        public void onClientData(ByteBuffer data) {
            peers.sendToServer(data);
        }

        @Override
        public void onServerData(ByteBuffer data) {
            peers.sendToClient(data);
        }

        @Override
        public void onClientEnd() {
            peers.endServer();
        }

        @Override
        public void onServerEnd() {
            peers.endClient();
        }

        @Override
        public void onClose(boolean reset) {}
    }

    // ---- helpers ----

    private FakeConnectRequest lastRequest;

    private FakeConnectRequest connect(FakeTcpConnection child) throws IOException {
        FakeConnectRequest request = new FakeConnectRequest(child);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        harness.onLoop(() -> relay.connect(request, address, EgressGate.Admission.UNWATCHED));
        await("the dial is answered", () -> request.answer() != FakeConnectRequest.Answer.NONE);
        assertEquals(FakeConnectRequest.Answer.ACCEPTED, request.answer());
        lastRequest = request;
        return request;
    }

    private void childSends(FakeConnectRequest request, FakeTcpConnection child, byte[] bytes) {
        harness.onLoop(() -> {
            child.childSends(bytes);
            request.listener().onReadable(child);
        });
    }

    private void childFinishes(FakeConnectRequest request, FakeTcpConnection child) {
        harness.onLoop(() -> {
            child.childFinishes();
            request.listener().onReadable(child);
        });
    }

    private static byte[] readExactly(SocketChannel peer, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (peer.read(buffer) < 0) {
                throw new AssertionError("EOF after " + buffer.position() + " of " + count + " bytes");
            }
        }
        return buffer.array();
    }

    private static void assertPatternArrives(SocketChannel peer, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long offset = 0;
        while (offset < size) {
            buffer.clear();
            int count = peer.read(buffer);
            if (count < 0) {
                throw new AssertionError("EOF after " + offset + " of " + size + " bytes");
            }
            assertArrayEquals(Pattern.bytes(offset, count), java.util.Arrays.copyOf(buffer.array(), count));
            offset += count;
        }
    }

    private static void writePattern(SocketChannel peer, long size) throws IOException {
        for (long offset = 0; offset < size; ) {
            int count = (int) Math.min(64 * 1024, size - offset);
            ByteBuffer chunk = ByteBuffer.wrap(Pattern.bytes(offset, count));
            while (chunk.hasRemaining()) {
                peer.write(chunk);
            }
            offset += count;
        }
    }

    /**
     * Writes the pattern without blocking until the kernel buffers are full and stay full (50 tries, 5 ms
     * apart) or {@code limit} bytes went out; returns how many bytes were written.
     */
    private static long writeUntilStalled(SocketChannel peer, long limit) throws IOException {
        long offset = 0;
        int fruitlessTries = 0;
        ByteBuffer chunk = ByteBuffer.allocate(0);
        while (offset < limit && fruitlessTries < 50) {
            if (!chunk.hasRemaining()) {
                chunk = ByteBuffer.wrap(Pattern.bytes(offset, 64 * 1024));
            }
            int count = peer.write(chunk);
            offset += count;
            if (count == 0) {
                fruitlessTries++;
                sleepMillis(5);
            } else {
                fruitlessTries = 0;
            }
        }
        return offset;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
