package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.stack.ConnectionTimers.Deadline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection's four slots as one entry in the stack's timer queue. */
class ConnectionTimersTest {
    private final TimerQueue queue = new TimerQueue();
    private final List<Long> fired = new ArrayList<>();
    private final ConnectionTimers timers = new ConnectionTimers(queue, fired::add);

    @Test
    void theEntryIsAtTheEarliestSlotAndFiresThere() {
        timers.setDeadline(Deadline.RETRANSMIT, 300);
        timers.delayAck(200);
        timers.armRelease(1000);
        timers.reschedule(false);
        assertEquals(200, queue.nextDeadline());

        queue.runDue(199);
        assertEquals(List.of(), fired);
        queue.runDue(250);
        assertEquals(List.of(250L), fired);
    }

    @Test
    void eachSlotIsDueFromItsTimeUntilTaken() {
        timers.setDeadline(Deadline.ZERO_WINDOW_PROBE, 300);
        timers.delayAck(200);
        timers.armRelease(400);

        assertEquals(Deadline.NONE, timers.takeExpiredDeadline(299));
        assertEquals(Deadline.ZERO_WINDOW_PROBE, timers.deadline());
        assertEquals(Deadline.ZERO_WINDOW_PROBE, timers.takeExpiredDeadline(300));
        assertEquals(Deadline.NONE, timers.deadline());
        assertEquals(Deadline.NONE, timers.takeExpiredDeadline(10_000));

        assertTrue(timers.ackDelayed());
        assertFalse(timers.ackDue(199));
        assertTrue(timers.ackDue(200));
        timers.ackSent();
        assertFalse(timers.ackDelayed());
        assertFalse(timers.ackDue(10_000));

        assertTrue(timers.releaseArmed());
        assertFalse(timers.releaseDue(399));
        assertTrue(timers.releaseDue(400));
        timers.disarmRelease();
        assertFalse(timers.releaseArmed());
        assertFalse(timers.releaseDue(10_000));
    }

    @Test
    void aSegmentSentCancelsTheDelayedAck() {
        timers.delayAck(200);
        timers.ackSent();
        timers.reschedule(false);
        assertEquals(0, queue.size());
    }

    @Test
    void aClosedConnectionKeepsOnlyItsDeferredEvents() {
        timers.setDeadline(Deadline.TIME_WAIT_EXPIRY, 100);
        timers.delayAck(50);
        timers.deferEvents(500);
        timers.reschedule(true);
        assertEquals(500, queue.nextDeadline());

        timers.eventsDelivered(499);
        timers.reschedule(true);
        assertEquals(500, queue.nextDeadline());
        timers.eventsDelivered(500);
        timers.reschedule(true);
        assertEquals(0, queue.size());
    }

    @Test
    void cancellingLeavesTheQueueAndClearsAllButDeferredEvents() {
        timers.setDeadline(Deadline.RETRANSMIT, 100);
        timers.delayAck(50);
        timers.armRelease(70);
        timers.reschedule(false);
        timers.cancel();

        assertEquals(0, queue.size());
        assertEquals(Deadline.NONE, timers.deadline());
        assertFalse(timers.ackDelayed());
        assertFalse(timers.releaseArmed());
        queue.runDue(10_000);
        assertEquals(List.of(), fired);
    }
}
