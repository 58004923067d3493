package dev.httptap.relay;

import static dev.httptap.relay.LoopHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.dns.LocalZone;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's DNS: local answers, forwarding with failover to resolvers started on 127.0.0.1. */
class DnsRelayTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 2), 45000),
            new InetSocketAddress(RelayConfig.ipv4(10, 1, 1, 1), 53));
    /** example.com A, as glibc sends it. */
    private static final byte[] QUERY = hex("1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001");
    /** NXDOMAIN for it, with an SOA in the authority section the relay must pass on untouched. */
    private static final byte[] NXDOMAIN = hex("""
            1234 8183 0001 0000 0001 0000 07 6578616d706c65 03 636f6d 00 0001 0001
            c00c 0006 0001 00000e10 0016 c00c c00c 00000001 00000002 00000003 00000004 00000005
            """);

    private LoopHarness harness;
    private DatagramChannel silentServer;
    private DatagramChannel answeringServer;
    private final RecordingUdpSender child = new RecordingUdpSender();
    private final RecordingDnsObserver observer = new RecordingDnsObserver();
    private DnsRelay relay;

    @BeforeEach
    void start() throws IOException {
        harness = new LoopHarness();
        silentServer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        answeringServer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        List<InetSocketAddress> servers = List.of(
                (InetSocketAddress) silentServer.getLocalAddress(),
                (InetSocketAddress) answeringServer.getLocalAddress());
        LocalZone zone = new LocalZone("host.httptap.local", RelayConfig.ipv4(169, 254, 77, 65));
        relay = harness.onLoop(() -> new DnsRelay(harness.loop.selector(), harness.loop.clock(), child,
                ByteBuffer.allocateDirect(Splice.SERVER_READ_BYTES), zone, servers, 16,
                TimeUnit.SECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(50), observer, EgressGate.open()));
        harness.addTimers(relay::expire, relay::closeAll);
    }

    @AfterEach
    void stop() throws IOException {
        harness.close();
        silentServer.close();
        answeringServer.close();
    }

    @Test
    void asksTheNextServerWhenTheFirstIsSilentAndRelaysTheAnswerUnchanged() throws IOException {
        harness.onLoop(() -> relay.query(FLOW, ByteBuffer.wrap(QUERY)));

        ByteBuffer received = ByteBuffer.allocate(512);
        SocketAddress relaySocket = answeringServer.receive(received);
        assertArrayEquals(QUERY, bytes(received.flip()), "the query is forwarded unchanged");
        answeringServer.send(ByteBuffer.wrap(NXDOMAIN), relaySocket);

        await("the answer reaches the child", () -> child.sent().size() == 1);
        assertEquals(FLOW, child.sent().get(0).flow());
        assertArrayEquals(NXDOMAIN, child.sent().get(0).payload());
        assertEquals(0, harness.onLoop(relay::pendingCount));

        assertEquals(List.of("query " + HexFormat.of().formatHex(QUERY), "answer " + HexFormat.of().formatHex(NXDOMAIN)),
                observer.events(), "the observer hears the query once and the answer");

        silentServer.configureBlocking(false);
        ByteBuffer first = ByteBuffer.allocate(512);
        assertTrue(silentServer.receive(first) != null, "the first server was asked first");
        assertArrayEquals(QUERY, bytes(first.flip()));
    }

    @Test
    void givesUpQuietlyWhenNoServerAnswers() throws IOException {
        harness.onLoop(() -> relay.query(FLOW, ByteBuffer.wrap(QUERY)));
        answeringServer.receive(ByteBuffer.allocate(512));

        await("the query is given up", () -> harness.onLoop(relay::pendingCount) == 0);
        assertEquals(List.of(), child.sent());
        assertEquals(List.of("query " + HexFormat.of().formatHex(QUERY), "no answer " + HexFormat.of().formatHex(QUERY)),
                observer.events());
    }

    @Test
    void answersTheHostAliasLocally() {
        byte[] query = hex("beef 0100 0001 0000 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001");

        harness.onLoop(() -> relay.query(FLOW, ByteBuffer.wrap(query)));

        assertEquals(1, child.sent().size());
        assertArrayEquals(hex("""
                beef 8580 0001 0001 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """), child.sent().get(0).payload());
        assertEquals(0, harness.onLoop(relay::pendingCount));
        assertEquals(List.of("query " + HexFormat.of().formatHex(query),
                "answer " + HexFormat.of().formatHex(child.sent().get(0).payload())), observer.events());
    }

    @Test
    void dropsMalformedQueries() {
        harness.onLoop(() -> relay.query(FLOW, ByteBuffer.wrap(hex("1234 0100 0001 0000 0000 0000 07 6578"))));
        harness.onLoop(() -> relay.query(FLOW, ByteBuffer.wrap(hex("1234"))));

        assertEquals(List.of(), child.sent());
        assertEquals(0, harness.onLoop(relay::pendingCount));
        assertEquals(List.of(), observer.events(), "malformed queries are not reported");
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
