package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CHILD_ISN;
import static dev.httptap.stack.TcpHarness.CHILD_SYN_OPTIONS;
import static dev.httptap.stack.TcpHarness.CLIENT;
import static dev.httptap.stack.TcpHarness.CLIENT_PORT;
import static dev.httptap.stack.TcpHarness.OUR_ISS;
import static dev.httptap.stack.TcpHarness.SERVER;
import static dev.httptap.stack.TcpHarness.SERVER_PORT;
import static dev.httptap.stack.TcpHarness.assertSegment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.Icmpv4;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpHandshakeTest {
    private final TcpHarness child = new TcpHarness(StackConfig.defaults(), OUR_ISS);

    @Test
    void synIsOfferedToTheForwarderWithTheFlow() {
        child.syn(CHILD_SYN_OPTIONS);
        TcpConnectRequest request = child.onlyRequest();
        assertEquals(new FlowId(new InetSocketAddress(CLIENT.toInetAddress(), CLIENT_PORT),
                new InetSocketAddress(SERVER.toInetAddress(), SERVER_PORT)), request.flow());
        assertEquals(List.of(), child.sent(), "nothing is sent before the forwarder answers");
    }

    @Test
    void acceptAnswersWithSynAckFromTheServerAddressWithOurOptions() {
        child.syn(new TcpOptions(65495, 7, true, true, 777, 0));
        child.onlyRequest().accept(child.listener);
        SentPacket synAck = child.onlySent();
        assertSegment(synAck, TcpFlags.SYN | TcpFlags.ACK, OUR_ISS, CHILD_ISN + 1);
        assertEquals(SERVER, synAck.ip().source());
        assertEquals(CLIENT, synAck.ip().destination());
        assertEquals(SERVER_PORT, synAck.tcp().sourcePort());
        assertEquals(CLIENT_PORT, synAck.tcp().destinationPort());
        assertEquals(65535, synAck.window(), "the SYN-ACK window is never scaled");
        TcpOptions options = synAck.options();
        assertEquals(65480, options.mss(), "MSS = MTU - 40");
        assertEquals(4, options.windowScale(), "smallest shift that covers a 512 KiB buffer");
        assertEquals(false, options.sackPermitted(), "SACK is not implemented, so not offered");
        assertTrue(options.timestamps());
        assertEquals(777, options.timestampEcho());
    }

    @Test
    void withoutOfferedOptionsNeitherScalingNorTimestampsAreUsed() {
        child.syn(new TcpOptions(1460, TcpOptions.NO_WINDOW_SCALE, false, false, 0, 0));
        child.connection = child.onlyRequest().accept(child.listener);
        SentPacket synAck = child.onlySent();
        assertEquals(new TcpOptions(65480, TcpOptions.NO_WINDOW_SCALE, false, false, 0, 0), synAck.options());
        child.childAck = OUR_ISS + 1;
        child.childWindow = 60000;
        child.send(TcpFlags.ACK, "");
        child.write(TcpHarness.text(3000, 'x'));
        List<SentPacket> segments = child.sent();
        assertEquals(List.of(1460, 1460, 80), segments.stream().map(SentPacket::length).toList(),
                "segments are cut at the child's MSS");
        assertTrue(segments.stream().allMatch(segment -> segment.options().equals(TcpOptions.NONE)));
    }

    @Test
    void anAbsurdWindowScaleCountsAsFourteenAndAZeroMssAsNone() {
        child.syn(new TcpOptions(0, 255, false, false, 0, 0));
        child.connection = child.onlyRequest().accept(child.listener);
        child.onlySent();
        child.childAck = OUR_ISS + 1;
        child.childWindow = 1; // 1 << 14 bytes once scaled by 14; a shift of 255 would mean 1 << 31 in an int
        child.send(TcpFlags.ACK, "");
        child.write(TcpHarness.text(20000, 'x'));
        List<Integer> lengths = child.sent().stream().map(SentPacket::length).toList();
        assertEquals(1 << 14, lengths.stream().mapToInt(Integer::intValue).sum(), "one scaled window's worth");
        assertTrue(lengths.stream().allMatch(length -> length <= 536), "the default MSS in place of 0: " + lengths);
    }

    @Test
    void refuseAnswersWithRstSoTheChildSeesConnectionRefused() {
        child.syn(CHILD_SYN_OPTIONS);
        child.onlyRequest().refuse();
        assertSegment(child.onlySent(), TcpFlags.RST | TcpFlags.ACK, 0, CHILD_ISN + 1);
        child.syn(CHILD_SYN_OPTIONS);
        assertEquals(1, child.forwarder.requests.size(), "after a refusal a new SYN is a new request");
    }

    @Test
    void unreachableAnswersWithIcmpHostUnreachableQuotingTheSyn() {
        ByteBuffer syn = TcpHarness.packet(TcpFlags.SYN, CHILD_ISN, 0, 64240, CHILD_SYN_OPTIONS, new byte[0]);
        byte[] synBytes = syn.array().clone();
        child.stack.receive(syn);
        child.onlyRequest().unreachable();
        SentPacket icmp = child.onlySent();
        assertEquals(SERVER, icmp.ip().source());
        assertEquals(CLIENT, icmp.ip().destination());
        assertEquals(Icmpv4.TYPE_DESTINATION_UNREACHABLE, icmp.icmp().type());
        assertEquals(Icmpv4.CODE_HOST_UNREACHABLE, icmp.icmp().code());
        byte[] quoted = new byte[icmp.icmp().payloadLength()];
        icmp.icmp().buffer().get(icmp.icmp().payloadOffset(), quoted);
        assertArrayEquals(Arrays.copyOf(synBytes, 28), quoted, "IP header and the first 8 TCP bytes");
    }

    @Test
    void retransmittedSynWhilePendingIsAbsorbed() {
        child.syn(CHILD_SYN_OPTIONS);
        child.fromChild(TcpFlags.SYN, CHILD_ISN, 0, 64240, CHILD_SYN_OPTIONS, new byte[0]);
        child.fromChild(TcpFlags.SYN, CHILD_ISN, 0, 64240, CHILD_SYN_OPTIONS, new byte[0]);
        assertEquals(1, child.forwarder.requests.size());
        assertEquals(List.of(), child.sent());
        assertEquals(2, child.stack.stats().drops(DropReason.TCP_SYN_RETRANSMITTED));
    }

    @Test
    void childResetBeforeAcceptMakesTheLateAcceptReportReset() {
        child.syn(CHILD_SYN_OPTIONS);
        TcpConnectRequest request = child.onlyRequest();
        child.fromChild(TcpFlags.RST, CHILD_ISN + 1, 0, 0, TcpOptions.NONE, new byte[0]);
        TcpConnection connection = request.accept(child.listener);
        assertEquals(List.of(), child.sent(), "no SYN-ACK for a withdrawn request");
        assertEquals(List.of(), child.listener.take(), "events only come from receive or runTimers");
        child.advanceMillis(0);
        assertEquals(List.of("reset"), child.listener.take());
        assertEquals(0, connection.writable());
    }

    @Test
    void synsBeyondTheHalfOpenLimitAreDroppedUntilAHandshakeEnds() {
        TcpHarness flood = new TcpHarness(new StackConfig(1500, 4000, 3000, 3), OUR_ISS);
        for (int i = 0; i < 5; i++) {
            flood.stack.receive(synFrom(i));
        }
        assertEquals(3, flood.forwarder.requests.size(), "SYNs offered to the forwarder");
        assertEquals(2, flood.stack.stats().drops(DropReason.TCP_TOO_MANY_HALF_OPEN));

        flood.forwarder.requests.remove(0).accept(flood.listener); // SYN-RECEIVED: still half-open
        flood.stack.receive(synFrom(5));
        assertEquals(3, flood.stack.stats().drops(DropReason.TCP_TOO_MANY_HALF_OPEN));

        flood.stack.receive(TcpHarness.packet(Ipv4Address.of(10, 0, 1, 0), SERVER, TcpFlags.ACK, CHILD_ISN + 1,
                OUR_ISS + 1, 512, TcpOptions.NONE, new byte[0])); // its handshake completes
        flood.stack.receive(synFrom(6));
        assertEquals(3, flood.forwarder.requests.size(), "room for one more");

        flood.forwarder.requests.remove(0).refuse();
        flood.stack.receive(synFrom(7));
        assertEquals(3, flood.forwarder.requests.size(), "a refused request makes room too");
        assertEquals(3, flood.stack.stats().drops(DropReason.TCP_TOO_MANY_HALF_OPEN));
    }

    private static ByteBuffer synFrom(int host) {
        return TcpHarness.packet(Ipv4Address.of(10, 0, 1, host), SERVER, TcpFlags.SYN, CHILD_ISN, 0, 64240,
                CHILD_SYN_OPTIONS, new byte[0]);
    }

    @Test
    void aRequestCanBeAnsweredOnlyOnce() {
        child.syn(CHILD_SYN_OPTIONS);
        TcpConnectRequest request = child.onlyRequest();
        request.refuse();
        assertThrows(IllegalStateException.class, () -> request.accept(child.listener));
    }

    @Test
    void lostSynAckIsSentAgainOnTimeoutAndOnTheRepeatedSyn() {
        child.syn(CHILD_SYN_OPTIONS);
        child.onlyRequest().accept(child.listener);
        child.onlySent();
        child.advanceMillis(999);
        assertEquals(List.of(), child.sent());
        child.advanceMillis(1);
        assertSegment(child.onlySent(), TcpFlags.SYN | TcpFlags.ACK, OUR_ISS, CHILD_ISN + 1);
        child.fromChild(TcpFlags.SYN, CHILD_ISN, 0, 64240, CHILD_SYN_OPTIONS, new byte[0]);
        assertSegment(child.onlySent(), TcpFlags.SYN | TcpFlags.ACK, OUR_ISS, CHILD_ISN + 1);
        assertEquals(1, child.stack.stats().openConnections());
    }

    @Test
    void handshakeGivesUpAfterBoundedRetries() {
        child.syn(CHILD_SYN_OPTIONS);
        child.onlyRequest().accept(child.listener);
        child.onlySent();
        int synAcks = 0;
        for (int second = 0; second < 200; second++) {
            child.advanceMillis(1000);
            for (SentPacket packet : child.sent()) {
                if (packet.is(TcpFlags.SYN | TcpFlags.ACK)) {
                    synAcks++;
                } else {
                    assertTrue(packet.is(TcpFlags.RST | TcpFlags.ACK), "only SYN-ACKs then a final RST: " + packet);
                }
            }
        }
        assertEquals(5, synAcks, "retransmissions with exponential backoff");
        assertEquals(List.of("reset"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
        assertEquals(Long.MAX_VALUE, child.stack.runTimers(), "no timer left behind");
    }

    @Test
    void finalAckMayCarryData() {
        child.syn(CHILD_SYN_OPTIONS);
        child.connection = child.onlyRequest().accept(child.listener);
        child.onlySent();
        child.childAck = OUR_ISS + 1;
        child.send(TcpFlags.ACK | TcpFlags.PSH, "hello");
        assertEquals(List.of("readable"), child.listener.take());
        assertEquals("hello", child.readAll());
    }

    @Test
    void wrongAckDuringHandshakeIsAnsweredWithRst() {
        child.syn(CHILD_SYN_OPTIONS);
        child.onlyRequest().accept(child.listener);
        child.onlySent();
        child.fromChild(TcpFlags.ACK, CHILD_ISN + 1, OUR_ISS + 7, 512, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), TcpFlags.RST, OUR_ISS + 7, 0);
    }

    @Test
    void segmentsForNoConnectionAreAnsweredWithRst() {
        child.fromChild(TcpFlags.ACK, 42, 4242, 512, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), TcpFlags.RST, 4242, 0);
        child.fromChild(TcpFlags.PSH, 42, 0, 512, TcpOptions.NONE, new byte[3]);
        assertSegment(child.onlySent(), TcpFlags.RST | TcpFlags.ACK, 0, 45);
        child.fromChild(TcpFlags.RST, 42, 0, 512, TcpOptions.NONE, new byte[0]);
        assertEquals(List.of(), child.sent(), "an RST is never answered");
        assertEquals(3, child.stack.stats().drops(DropReason.TCP_NO_CONNECTION));
    }
}
