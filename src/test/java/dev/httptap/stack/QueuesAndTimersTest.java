package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The building blocks under the state machine. */
class QueuesAndTimersTest {
    @Test
    void sequenceComparisonsWrap() {
        assertTrue(SeqNum.before(0xFFFF_FFF0, 5));
        assertTrue(SeqNum.after(5, 0xFFFF_FFF0));
        assertTrue(SeqNum.beforeOrEqual(7, 7));
        assertTrue(SeqNum.inWindow(2, 0xFFFF_FFFE, 10));
        assertFalse(SeqNum.inWindow(0xFFFF_FFFD, 0xFFFF_FFFE, 10));
        assertFalse(SeqNum.inWindow(8, 0xFFFF_FFFE, 10));
        assertFalse(SeqNum.inWindow(5, 5, 0));
    }

    @Test
    void ringWrapsAroundAndGrowsOnlyUpToItsBound() {
        ByteRing ring = new ByteRing(6000);
        ByteBuffer in = bytes(5000, 1);
        ring.write(0, in, 0, 5000);
        ring.commit(5000);
        assertEquals(1000, ring.free());
        ByteBuffer out = ByteBuffer.allocate(4500);
        assertEquals(4500, ring.read(out));
        ring.write(ring.size(), bytes(5500, 2), 0, 5500);
        ring.commit(5500);
        ByteBuffer all = ByteBuffer.allocate(6000);
        assertEquals(6000, ring.read(all));
        assertEquals(bytes(5000, 1).array()[4500], all.array()[0]);
        assertEquals(bytes(5500, 2).array()[5499], all.array()[5999]);
    }

    @Test
    void reassemblyMergesRangesAndReportsWhatBecameContiguous() {
        Reassembly reassembly = new Reassembly();
        assertEquals(0, reassembly.add(10, 5));
        assertEquals(0, reassembly.add(20, 5));
        assertEquals(0, reassembly.add(14, 7)); // bridges the two
        assertEquals(1, reassembly.rangeCount());
        assertEquals(25, reassembly.add(0, 10));
        assertTrue(reassembly.isEmpty());
        assertEquals(3, reassembly.add(0, 3));
    }

    @Test
    void receiveQueuePlacesOutOfOrderBytes() {
        ReceiveQueue queue = new ReceiveQueue(100);
        assertEquals(0, queue.accept(3, text("def"), 0, 3));
        assertEquals(0, queue.readable());
        assertEquals(6, queue.accept(0, text("abc"), 0, 3));
        ByteBuffer out = ByteBuffer.allocate(10);
        queue.read(out);
        assertEquals("abcdef", new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII));
    }

    @Test
    void timerQueueFiresInDeadlineOrderAndHonoursRescheduling() {
        TimerQueue queue = new TimerQueue();
        List<String> fired = new ArrayList<>();
        TimerQueue.Timer a = new TimerQueue.Timer(now -> fired.add("a@" + now));
        TimerQueue.Timer b = new TimerQueue.Timer(now -> fired.add("b@" + now));
        TimerQueue.Timer c = new TimerQueue.Timer(now -> fired.add("c@" + now));
        queue.schedule(a, 30);
        queue.schedule(b, 10);
        queue.schedule(c, 20);
        queue.schedule(b, 40); // moved later
        queue.cancel(c);
        assertEquals(30, queue.nextDeadline());
        queue.runDue(35);
        assertEquals(List.of("a@35"), fired);
        assertEquals(40, queue.nextDeadline());
        queue.runDue(100);
        assertEquals(List.of("a@35", "b@100"), fired);
        assertEquals(TimerQueue.NEVER, queue.nextDeadline());
    }

    @Test
    void manyTimersStayOrdered() {
        TimerQueue queue = new TimerQueue();
        List<Long> fired = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long deadline = (i * 37L) % 101;
            queue.schedule(new TimerQueue.Timer(now -> fired.add(deadline)), deadline);
        }
        for (long now = 0; now <= 100; now++) {
            queue.runDue(now);
        }
        assertEquals(100, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1) <= fired.get(i));
        }
    }

    @Test
    void retransmissionTimeoutFollowsRfc6298() {
        RttEstimator rtt = new RttEstimator();
        assertEquals(1_000_000_000L, rtt.timeout(), "1 s before any sample");
        rtt.sample(300_000_000L);
        assertEquals(300_000_000L + 4 * 150_000_000L, rtt.timeout());
        rtt.sample(300_000_000L);
        assertEquals(300_000_000L + 4 * 112_500_000L, rtt.timeout());
        rtt.backOff();
        assertEquals(2 * (300_000_000L + 4 * 112_500_000L), rtt.timeout());
        rtt.clearBackoff();
        rtt.sample(0);
        assertTrue(rtt.timeout() >= RttEstimator.MIN_RTO);
        for (int i = 0; i < 20; i++) {
            rtt.backOff();
        }
        assertEquals(RttEstimator.MAX_RTO, rtt.timeout());
    }

    @Test
    void windowShiftIsTheSmallestThatCoversTheBuffer() {
        assertEquals(0, ReceiveWindow.shiftFor(65535));
        assertEquals(1, ReceiveWindow.shiftFor(65536));
        assertEquals(4, ReceiveWindow.shiftFor(512 * 1024));
    }

    private static final int UNLIMITED = Integer.MAX_VALUE;

    @Test
    void scaledWindowNeverMovesItsRightEdgeLeft() {
        ReceiveWindow window = new ReceiveWindow(1024, 7, 0);
        assertEquals(8, window.advertise(0, 0, UNLIMITED), "1024 bytes = 8 units of 128");
        // One byte arrives and waits: 1023 free would round down to 7 units and pull the edge to 897.
        assertEquals(8, window.advertise(1, 1, UNLIMITED), "rounded up to keep the edge at 1024 or beyond");
        assertEquals(1024, window.remaining(1), "up to one unit past the buffer: the ring keeps that slack");
        assertEquals(0, window.advertise(1025, 1024, UNLIMITED), "the child filled the promise: window closed");
        assertFalse(window.worthUpdating(1025, 900, 1460, UNLIMITED), "124 bytes free: not worth an update");
        assertTrue(window.worthUpdating(1025, 0, 1460, UNLIMITED), "the whole buffer reopened");
    }

    @Test
    void roundingUpNeverCreepsPastTheBuffer() {
        ReceiveWindow window = new ReceiveWindow(4096, 4, 0);
        window.advertise(0, 0, UNLIMITED);
        int rcvNxt = 0;
        int readable = 0;
        for (int segment = 0; segment < 200 && window.remaining(rcvNxt) > 0; segment++) {
            int arrived = Math.min(7, window.remaining(rcvNxt)); // unaligned sizes, nobody reads
            rcvNxt += arrived;
            readable += arrived;
            window.advertise(rcvNxt, readable, UNLIMITED);
            assertTrue(readable + window.remaining(rcvNxt) < 4096 + 16,
                    "promised " + window.remaining(rcvNxt) + " with " + readable + " waiting");
        }
    }

    private static ByteBuffer bytes(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return ByteBuffer.wrap(data);
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
