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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing lingers: a FIN ahead of a gap waits for the gap instead of being lost, FIN-WAIT-2 and unanswered
 * connection requests end, and emptied buffers are given back.
 */
class TcpLeakTest {
    private static final int ACK = TcpFlags.ACK;
    private static final int FIN_ACK = TcpFlags.FIN | TcpFlags.ACK;
    private static final long FIN_WAIT_2_MILLIS = TcpConnectionImpl.FIN_WAIT_2_NANOS / 1_000_000;
    private static final long RELEASE_MILLIS = TcpConnectionImpl.IDLE_RELEASE_NANOS / 1_000_000;
    private final int firstByte = CHILD_ISN + 1;
    private final int ourFirstByte = OUR_ISS + 1;

    @Test
    void aFinBeforeAGapIsHeldUntilTheGapFills() {
        TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
        child.fromChild(FIN_ACK, firstByte + 3, ourFirstByte, 512, TcpOptions.NONE, "def".getBytes());
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte);
        assertEquals(List.of(), child.listener.take());

        child.sendAt(firstByte, "abc");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 7);
        assertEquals(List.of("readable"), child.listener.take());
        assertEquals("abcdef", child.readAll());
        assertTrue(child.connection.isInputFinished(), "the held FIN counted once the gap filled");
    }

    @Test
    void aBareFinBeforeAGapIsHeldToo() {
        TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
        child.fromChild(FIN_ACK, firstByte + 2, ourFirstByte, 512, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte);
        child.sendAt(firstByte, "x");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 1);
        assertFalse(child.connection.isInputFinished(), "one byte is still missing");
        child.sendAt(firstByte + 1, "y");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 3);
        assertEquals("xy", child.readAll());
        assertTrue(child.connection.isInputFinished());
    }

    @Test
    void aSilentChildInFinWait2IsResetAfterTheTimeout() {
        TcpHarness child = finWait2();
        child.advanceMillis(FIN_WAIT_2_MILLIS - 1);
        child.send(TcpFlags.PSH | ACK, "still here");
        child.advanceMillis(FIN_WAIT_2_MILLIS - 1);
        assertEquals(List.of("readable"), child.listener.take(), "a segment restarts the wait");
        assertEquals("still here", child.readAll());
        child.sent();

        child.advanceMillis(1);
        assertSegment(child.onlySent(), TcpFlags.RST | ACK, ourFirstByte + 1, firstByte + 10);
        assertEquals(List.of("reset"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
        assertEquals(Long.MAX_VALUE, child.stack.runTimers());
    }

    @Test
    void aChildThatClosesInFinWait2EndsNormally() {
        TcpHarness child = finWait2();
        child.send(FIN_ACK, "");
        assertSegment(child.onlySent(), ACK, ourFirstByte + 1, firstByte + 1);
        child.listener.take();
        child.advanceMillis(TcpConnectionImpl.TIME_WAIT_NANOS / 1_000_000);
        assertEquals(List.of("closed"), child.listener.take());
        child.advanceMillis(FIN_WAIT_2_MILLIS);
        assertEquals(List.of(), child.sent(), "no FIN-WAIT-2 timer outlives the connection");
    }

    @Test
    void aRequestTheForwarderNeverAnswersIsForgotten() {
        TcpHarness child = new TcpHarness(TcpHarness.SMALL, OUR_ISS);
        child.syn(TcpHarness.CHILD_SYN_OPTIONS);
        TcpConnectRequest forgotten = child.onlyRequest();
        child.advanceMillis(PendingConnection.TIMEOUT_NANOS / 1_000_000);
        assertEquals(Long.MAX_VALUE, child.stack.runTimers(), "no timer left");

        child.fromChild(TcpFlags.SYN, CHILD_ISN, 0, 64240, TcpHarness.CHILD_SYN_OPTIONS, new byte[0]);
        assertEquals(1, child.forwarder.requests.size(), "a new SYN is a new request: the old one is gone");

        forgotten.accept(child.listener);
        child.advanceMillis(0);
        assertEquals(List.of("reset"), child.listener.take(), "a late answer finds the child gone");
        assertEquals(List.of(), child.sent());
    }

    @Test
    void emptiedBuffersAreGivenBackAfterAnIdleSecond() {
        TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
        TcpConnectionImpl connection = (TcpConnectionImpl) child.connection;
        assertEquals(0, connection.bufferedBytes(), "a new connection holds no buffer");

        child.send(TcpFlags.PSH | ACK, "request");
        child.write("response");
        child.sent();
        assertTrue(connection.bufferedBytes() > 0);
        child.advanceMillis(RELEASE_MILLIS);
        assertTrue(connection.bufferedBytes() > 0, "nothing is released while bytes wait");

        assertEquals("request", child.readAll());
        child.ack(ourFirstByte + 8);
        child.advanceMillis(RELEASE_MILLIS - 1);
        assertTrue(connection.bufferedBytes() > 0, "kept for a while, for the next burst");
        child.advanceMillis(1);
        assertEquals(0, connection.bufferedBytes());

        child.send(TcpFlags.PSH | ACK, text(100, 'n'));
        assertEquals(text(100, 'n'), child.readAll(), "a released queue works as before");
    }

    @Test
    void outOfOrderBytesKeepTheReceiveBuffer() {
        TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
        TcpConnectionImpl connection = (TcpConnectionImpl) child.connection;
        child.send(TcpFlags.PSH | ACK, "a");
        assertEquals("a", child.readAll());
        child.sendAt(firstByte + 2, "c");
        child.advanceMillis(RELEASE_MILLIS);
        child.sendAt(firstByte + 1, "b");
        assertEquals("bc", child.readAll(), "the byte held beyond the gap survived the idle release");
        assertTrue(connection.bufferedBytes() > 0);
    }

    /** A connection whose FIN the child acknowledged, with the child still sending. */
    private TcpHarness finWait2() {
        TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
        child.connection.shutdownOutput();
        assertSegment(child.onlySent(), FIN_ACK, ourFirstByte, firstByte);
        child.ack(ourFirstByte + 1);
        assertEquals(List.of(), child.sent());
        return child;
    }
}
