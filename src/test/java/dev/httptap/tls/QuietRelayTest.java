package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietRelayTest {
    private static final long PROBE = QuietRelay.PROBE_NANOS;

    /**
     * A relay that waits {@code idlePercent[i]} % of the i-th probe; each probe takes {@code PROBE} of the
     * clock, or more when {@code overslept} says so (a sleeper woken late on a busy machine).
     */
    private static final class ScriptedRelay {
        final Iterator<Long> idlePercent;
        final long overslept;
        long now;
        long idle;
        int probes;

        ScriptedRelay(long overslept, Long... idlePercent) {
            this.overslept = overslept;
            this.idlePercent = List.of(idlePercent).iterator();
        }

        int pauses;

        QuietRelay quiet() {
            return new QuietRelay(() -> idle, () -> now, nanos -> {
                long took = nanos + overslept;
                if (nanos == QuietRelay.BUSY_PAUSE_NANOS) {
                    pauses++;
                } else {
                    probes++;
                    idle += took * idlePercent.next() / 100;
                }
                now += took;
            });
        }
    }

    @Test
    void anIdleRelayIsQuietAfterAFewProbes() {
        ScriptedRelay relay = new ScriptedRelay(0, 100L, 100L, 100L);
        assertTrue(relay.quiet().await(() -> false));
        assertEquals(QuietRelay.QUIET_PROBES, relay.probes);
    }

    @Test
    void aRelayWaitingMostOfTheTimeIsQuiet() {
        long mostly = QuietRelay.QUIET_PERCENT;
        assertTrue(new ScriptedRelay(0, mostly, mostly, mostly).quiet().await(() -> false));
    }

    @Test
    void aBusyRelayIsWaitedOutUntilItQuietens() {
        ScriptedRelay relay = new ScriptedRelay(0, 0L, 30L, QuietRelay.QUIET_PERCENT - 1, 95L, 100L, 90L);
        assertTrue(relay.quiet().await(() -> false));
        assertEquals(6, relay.probes, "one probe per busy interval, then the quiet ones");
        assertEquals(3, relay.pauses, "a pause after each busy probe");
    }

    @Test
    void aRelayIdleAsItStartsButBusyThenIsNotQuiet() {
        // As in a run whose child's traffic gets going a moment after the relay starts.
        ScriptedRelay relay = new ScriptedRelay(0, 95L, 90L, 10L, 0L, 100L, 100L, 100L);
        assertTrue(relay.quiet().await(() -> false));
        assertEquals(7, relay.probes, "the quiet probes before the busy one do not count");
    }

    @Test
    void aLateWakeUpIsMeasuredByTheClockNotByTheSleepAskedFor() {
        // Woken 3 probes late, with the relay idle for a third of that: busy, though idle for longer than one probe.
        ScriptedRelay relay = new ScriptedRelay(3 * PROBE, 33L, 100L, 100L, 100L);
        assertTrue(relay.quiet().await(() -> false));
        assertEquals(4, relay.probes);
    }

    @Test
    void stopsWaitingOnceToldToWhileTheRelayIsBusy() {
        ScriptedRelay relay = new ScriptedRelay(0, 0L, 0L, 0L);
        int[] looks = {0};
        assertFalse(relay.quiet().await(() -> ++looks[0] > 2));
        assertEquals(2, relay.probes);
    }

    @Test
    void doesNotProbeWhenAlreadyToldToStop() {
        ScriptedRelay relay = new ScriptedRelay(0);
        assertFalse(relay.quiet().await(() -> true));
        assertEquals(0, relay.probes);
    }

    @Test
    void anInterruptedWaitEndsAndKeepsTheInterrupt() {
        QuietRelay quiet = new QuietRelay(() -> 0, () -> 0, nanos -> {
            throw new InterruptedException();
        });
        try {
            assertFalse(quiet.await(() -> false));
            assertTrue(Thread.interrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
