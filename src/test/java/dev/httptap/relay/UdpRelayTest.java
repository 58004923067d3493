package dev.httptap.relay;

import static dev.httptap.relay.LoopHarness.await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic UDP against an echo server on 127.0.0.1, reached through the host alias. */
class UdpRelayTest {
    private static final AddressMap ADDRESSES =
            new AddressMap(RelayConfig.ipv4(10, 1, 1, 1), RelayConfig.ipv4(169, 254, 77, 65));

    private LoopHarness harness;
    private DatagramSocket echo;
    private Thread echoThread;
    private final RecordingUdpSender child = new RecordingUdpSender();
    private final List<FlowId> refused = new CopyOnWriteArrayList<>();
    private final List<String> refusedPayloads = new CopyOnWriteArrayList<>();
    private final List<Integer> echoedLengths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        harness = new LoopHarness();
        echo = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        echo.setSoTimeout((int) LoopHarness.WAIT_MILLIS);
        echoThread = new Thread(this::echoUntilClosed);
        echoThread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        harness.close();
        echo.close();
        echoThread.join(LoopHarness.WAIT_MILLIS);
    }

    @Test
    void repliesComeBackToTheChildOnTheSameFlow() {
        UdpRelay relay = relay(16, TimeUnit.SECONDS.toNanos(60));
        FlowId flow = flowTo(40001);

        harness.onLoop(() -> relay.send(flow, ByteBuffer.wrap("ping".getBytes(US_ASCII))));
        harness.onLoop(() -> relay.send(flow, ByteBuffer.wrap("pong".getBytes(US_ASCII))));

        await("two echoes", () -> child.sent().size() == 2);
        assertEquals(flow, child.sent().get(0).flow());
        assertArrayEquals("ping".getBytes(US_ASCII), child.sent().get(0).payload());
        assertArrayEquals("pong".getBytes(US_ASCII), child.sent().get(1).payload());
        assertEquals(1, harness.onLoop(relay::flowCount));
    }

    @Test
    void idleFlowsAreClosed() {
        UdpRelay relay = relay(16, TimeUnit.MILLISECONDS.toNanos(20));

        harness.onLoop(() -> relay.send(flowTo(40001), ByteBuffer.wrap("x".getBytes(US_ASCII))));

        await("the idle flow closes", () -> harness.onLoop(relay::flowCount) == 0);
    }

    @Test
    void theLeastRecentlyUsedFlowMakesWayWhenFull() {
        UdpRelay relay = relay(2, TimeUnit.SECONDS.toNanos(60));

        for (int port = 40001; port <= 40003; port++) {
            FlowId flow = flowTo(port);
            harness.onLoop(() -> relay.send(flow, ByteBuffer.wrap("x".getBytes(US_ASCII))));
        }

        assertEquals(2, harness.onLoop(relay::flowCount));
        await("the remaining flows still work", () -> child.sent().size() >= 2);
    }

    @Test
    void fiveThousandFlowsAreOpenAtOnceUnderTheDefaultBound() {
        UdpRelay relay = relay(RelayConfig.defaults().maxUdpFlows(), TimeUnit.SECONDS.toNanos(60));
        int flows = 5000;
        for (int batch = 0; batch < flows / 100; batch++) {
            int first = 20000 + batch * 100;
            harness.onLoop(() -> {
                for (int port = first; port < first + 100; port++) {
                    relay.send(flowTo(port), ByteBuffer.wrap("x".getBytes(US_ASCII)));
                }
            });
            int expected = (batch + 1) * 100;
            await("the batch's echoes", () -> child.sent().size() == expected); // the echo's buffer stays small
        }
        assertEquals(flows, harness.onLoop(relay::flowCount));
        assertEquals(flows, child.sent().stream().map(RecordingUdpSender.Sent::flow).distinct().count());
    }

    @Test
    void anEmptyDatagramReachesTheServer() {
        UdpRelay relay = relay(16, TimeUnit.SECONDS.toNanos(60));

        harness.onLoop(() -> relay.send(flowTo(40001), ByteBuffer.allocate(0)));
        harness.onLoop(() -> relay.send(flowTo(40001), ByteBuffer.wrap("x".getBytes(US_ASCII))));

        await("both datagrams arrive", () -> echoedLengths.size() == 2);
        assertEquals(List.of(0, 1), echoedLengths, "the empty one first, as sent");
    }

    @Test
    void quicIsRefusedWithoutOpeningASocket() {
        UdpRelay relay = relay(16, TimeUnit.SECONDS.toNanos(60));
        FlowId quic = new FlowId(flowTo(40001).client(),
                new InetSocketAddress(RelayConfig.ipv4(169, 254, 77, 65), UdpRelay.QUIC_PORT));

        harness.onLoop(() -> relay.send(quic, ByteBuffer.wrap("initial".getBytes(US_ASCII))));

        assertEquals(List.of(quic), refused);
        assertEquals(0, harness.onLoop(relay::flowCount));
    }

    @Test
    void aPortNothingListensOnIsRefusedToTheChildAsTheKernelRefusedUs() throws IOException {
        UdpRelay relay = relay(16, TimeUnit.SECONDS.toNanos(60));
        int closedPort;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            closedPort = gone.getLocalPort();
        }
        FlowId flow = new FlowId(flowTo(40001).client(),
                new InetSocketAddress(RelayConfig.ipv4(169, 254, 77, 65), closedPort));

        harness.onLoop(() -> relay.send(flow, ByteBuffer.wrap("anyone?".getBytes(US_ASCII))));

        await("the port unreachable is passed on", () -> refused.contains(flow));
        assertEquals("anyone?", refusedPayloads.get(0), "quoting the datagram sent");
        assertEquals(List.of(), child.sent());
    }

    @Test
    void quicIsRelayedWhenAllowed() {
        UdpRelay relay = relay(16, TimeUnit.SECONDS.toNanos(60), true);
        FlowId quic = new FlowId(flowTo(40001).client(),
                new InetSocketAddress(RelayConfig.ipv4(169, 254, 77, 65), UdpRelay.QUIC_PORT));

        harness.onLoop(() -> relay.send(quic, ByteBuffer.wrap("initial".getBytes(US_ASCII))));

        // Sent on a socket of its own; whatever 127.0.0.1:443 answers (port unreachable, most likely) is its own.
        assertEquals(1, harness.onLoop(relay::flowCount), "an ordinary flow, to 127.0.0.1:443");
    }

    private UdpRelay relay(int maxFlows, long idleNanos) {
        return relay(maxFlows, idleNanos, false);
    }

    private UdpRelay relay(int maxFlows, long idleNanos, boolean allowQuic) {
        UdpRelay relay = harness.onLoop(() -> new UdpRelay(harness.loop.selector(), harness.loop.clock(), ADDRESSES,
                child, (flow, payload) -> {
                    refusedPayloads.add(US_ASCII.decode(payload.duplicate()).toString());
                    refused.add(flow);
                }, allowQuic, ByteBuffer.allocateDirect(Splice.SERVER_READ_BYTES), maxFlows, idleNanos));
        harness.addTimers(relay::expire, relay::closeAll);
        return relay;
    }

    private FlowId flowTo(int clientPort) {
        return new FlowId(new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 2), clientPort),
                new InetSocketAddress(RelayConfig.ipv4(169, 254, 77, 65), echo.getLocalPort()));
    }

    private void echoUntilClosed() {
        byte[] buffer = new byte[2048];
        while (!echo.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                echo.receive(packet);
                echoedLengths.add(packet.getLength());
                echo.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (SocketTimeoutException e) {
                return;
            } catch (IOException e) {
                return; // closed by the test
            }
        }
    }
}
