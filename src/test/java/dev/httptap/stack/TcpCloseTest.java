package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CHILD_ISN;
import static dev.httptap.stack.TcpHarness.OUR_ISS;
import static dev.httptap.stack.TcpHarness.assertSegment;
import static dev.httptap.stack.TcpHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Half-close both ways, simultaneous close, TIME-WAIT, RST both ways. */
class TcpCloseTest {
    private static final int ACK = TcpFlags.ACK;
    private static final int FIN_ACK = TcpFlags.FIN | TcpFlags.ACK;
    private final TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
    private final int firstByte = CHILD_ISN + 1;
    private final int ourFirstByte = OUR_ISS + 1;

    @Test
    void childFinishesFirstThenTheForwarderFinishes() {
        child.send(FIN_ACK | TcpFlags.PSH, "bye");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 4);
        assertEquals(List.of("readable"), child.listener.take());
        assertFalse(child.connection.isInputFinished(), "not before the bytes ahead of the FIN are read");
        assertEquals("bye", child.readAll());
        assertTrue(child.connection.isInputFinished());

        child.write("ok");
        assertEquals("ok", child.onlySent().text(), "the other direction still works");
        child.connection.shutdownOutput();
        assertSegment(child.onlySent(), FIN_ACK, ourFirstByte + 2, firstByte + 4);
        assertEquals(0, child.connection.writable());
        child.ack(ourFirstByte + 3);
        assertEquals(List.of("closed"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
        assertEquals(Long.MAX_VALUE, child.stack.runTimers());
    }

    @Test
    void forwarderFinishesFirstAndTheChildMayStillSend() {
        child.connection.shutdownOutput();
        assertSegment(child.onlySent(), FIN_ACK, ourFirstByte, firstByte);
        child.ack(ourFirstByte + 1);
        child.send(TcpFlags.PSH | ACK, "more");
        assertEquals(List.of("readable"), child.listener.take());
        assertEquals("more", child.readAll());
        child.send(FIN_ACK, "");
        assertSegment(child.onlySent(), ACK, ourFirstByte + 1, firstByte + 5);
        assertEquals(List.of("readable"), child.listener.take(), "the FIN is news for the reader");
        assertTrue(child.connection.isInputFinished());

        child.advanceMillis(1000);
        child.fromChild(FIN_ACK, firstByte + 4, ourFirstByte + 1, 512, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), ACK, ourFirstByte + 1, firstByte + 5);
        child.advanceMillis(1999);
        assertEquals(List.of(), child.listener.take(), "a repeated FIN restarts TIME-WAIT");
        child.advanceMillis(1);
        assertEquals(List.of("closed"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        child.connection.shutdownOutput();
        assertSegment(child.onlySent(), FIN_ACK, ourFirstByte, firstByte);
        child.send(FIN_ACK, ""); // crosses our FIN: acknowledges nothing new
        assertSegment(child.onlySent(), ACK, ourFirstByte + 1, firstByte + 1);
        child.ack(ourFirstByte + 1);
        assertEquals(List.of("readable"), child.listener.take());
        child.advanceMillis(TcpConnectionImpl.TIME_WAIT_NANOS / 1_000_000);
        assertEquals(List.of("closed"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
    }

    @Test
    void finFollowsTheQueuedDataAndIsRetransmittedWhenLost() {
        child.childWindow = 8; // 1024 bytes
        child.ack(ourFirstByte);
        child.write(text(2000, 'q'));
        child.connection.shutdownOutput();
        assertEquals(List.of(1024), child.sent().stream().map(SentPacket::length).toList());
        child.ack(ourFirstByte + 1024);
        List<SentPacket> rest = child.sent();
        assertEquals(1, rest.size());
        assertSegment(rest.get(0), FIN_ACK | TcpFlags.PSH, ourFirstByte + 1024, firstByte);
        assertEquals(976, rest.get(0).length());
        child.advanceMillis(200);
        assertSegment(child.onlySent(), FIN_ACK | TcpFlags.PSH, ourFirstByte + 1024, firstByte);
        child.ack(ourFirstByte + 2001);
        child.advanceMillis(10_000);
        assertEquals(List.of(), child.sent());
    }

    @Test
    void rstAtTheExpectedSequenceNumberResetsTheConnection() {
        child.fromChild(TcpFlags.RST, firstByte, 0, 0, TcpOptions.NONE, new byte[0]);
        assertEquals(List.of("reset"), child.listener.take());
        assertEquals(List.of(), child.sent());
        assertEquals(0, child.stack.stats().openConnections());
        child.send(ACK, "late");
        assertTrue(child.onlySent().is(TcpFlags.RST), "the connection is gone");
    }

    @Test
    void rstInsideTheWindowButNotExactIsChallengedAndOutsideIgnored() {
        child.fromChild(TcpFlags.RST, firstByte + 100, 0, 0, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte);
        child.fromChild(TcpFlags.RST, firstByte + 1_000_000, 0, 0, TcpOptions.NONE, new byte[0]);
        assertEquals(List.of(), child.sent());
        assertEquals(List.of(), child.listener.take());
        assertEquals(2, child.stack.stats().drops(DropReason.TCP_INVALID_RST));
        child.send(TcpFlags.PSH | ACK, "alive");
        assertEquals("alive", child.readAll());
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck() {
        child.fromChild(TcpFlags.SYN, firstByte + 50, 0, 64240, TcpHarness.CHILD_SYN_OPTIONS, new byte[0]);
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte);
        assertEquals(1, child.stack.stats().openConnections());
    }

    @Test
    void abortSendsRstAndForgetsTheConnection() {
        child.write("partial");
        child.sent();
        child.connection.abort();
        assertSegment(child.onlySent(), TcpFlags.RST | ACK, ourFirstByte + 7, firstByte);
        assertEquals(List.of(), child.listener.take(), "abort is the forwarder's own doing: no event");
        assertEquals(0, child.stack.stats().openConnections());
        assertEquals(0, child.connection.write(ByteBuffer.wrap(new byte[1])));
        child.advanceMillis(10_000);
        assertEquals(List.of(), child.sent(), "no timers survive abort");
    }

    @Test
    void aNewSynOnAPortInTimeWaitStartsANewConnection() {
        child.connection.shutdownOutput();
        child.sent();
        child.ack(ourFirstByte + 1);
        child.send(FIN_ACK, "");
        child.sent();
        child.listener.take();
        child.fromChild(TcpFlags.SYN, firstByte + 100_000, 0, 64240, TcpHarness.CHILD_SYN_OPTIONS, new byte[0]);
        assertEquals(List.of("closed"), child.listener.take(), "the old connection gives way");
        assertEquals(1, child.forwarder.requests.size(), "the SYN is a new request");
    }
}
