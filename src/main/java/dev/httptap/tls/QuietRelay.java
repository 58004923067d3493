package dev.httptap.tls;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Tells a relay waiting for packets from one with work to do, by the share of a short interval its loop
 * spent waiting: a relay that has work, or has work but not the CPU to do it, does not wait. The
 * {@link TlsRehearsal} waits here, so that it uses the time the child's traffic leaves: on two cores, a child
 * making plain requests from its first moment had shared them with the rehearsal's ~0.1 s of CPU and the
 * compilation of its code, which only a later TLS connection would have used.
 */
final class QuietRelay {
    /** How long each look at the relay lasts. */
    static final long PROBE_NANOS = 20_000_000;
    /** The share of a probe the relay must have waited, in percent: timers and a lone DNS answer are not work. */
    static final long QUIET_PERCENT = 80;
    /**
     * Quiet probes in a row that make the relay quiet: as it starts, it may wait a moment for the child's
     * first packets or the servers' answers before the child's traffic gets going.
     */
    static final int QUIET_PROBES = 3;
    /** After a busy probe, the pause before the next: each look wakes this thread, which costs a busy machine. */
    static final long BUSY_PAUSE_NANOS = 200_000_000;

    /** Sleeps; interruptible, so that a run's end is not held back. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final LongSupplier idleNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;

    /** {@code idleNanos}: how long the relay's loop has waited for work so far, in {@link System#nanoTime}'s time. */
    QuietRelay(LongSupplier idleNanos) {
        this(idleNanos, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    QuietRelay(LongSupplier idleNanos, LongSupplier clock, Sleeper sleeper) {
        this.idleNanos = idleNanos;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Returns true once the relay waited at least {@link #QUIET_PERCENT} % of each of {@link #QUIET_PROBES}
     * probes in a row of {@link #PROBE_NANOS}, with a pause of {@link #BUSY_PAUSE_NANOS} after each busy one;
     * false as soon as {@code stop} holds (looked at before each probe) or the thread is interrupted.
     */
    boolean await(BooleanSupplier stop) {
        try {
            int quietInARow = 0;
            while (!stop.getAsBoolean()) {
                long start = clock.getAsLong();
                long idleBefore = idleNanos.getAsLong();
                sleeper.sleep(PROBE_NANOS);
                long idle = idleNanos.getAsLong() - idleBefore;
                if (idle * 100 < (clock.getAsLong() - start) * QUIET_PERCENT) {
                    quietInARow = 0;
                    sleeper.sleep(BUSY_PAUSE_NANOS);
                } else if (++quietInARow == QUIET_PROBES) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
