package dev.httptap.sink;

import java.io.PrintStream;

/**
 * Flushes a stream once per round of a loop instead of once per printed block: a loop thread that prints
 * many exchanges per round (small requests over keep-alive) then makes one write(2) for all of them.
 *
 * <p>The loop thread calls {@link #endRound()} at the end of every round, before it waits; from then on its
 * {@link #flushSoon()} only notes that a flush is owed, and {@code endRound} pays it. Any other thread (or
 * the loop thread before its first round) flushes at once, so no line ever waits for a round that may not
 * come. Flushes take the stream's lock, the lock every printer of that stream writes under.
 */
public final class RoundFlush {
    private final PrintStream out;
    /** The thread that promised to call {@link #endRound()} again; null until its first call. */
    private volatile Thread roundThread;
    /** Written and read only by {@link #roundThread}. */
    private boolean owed;

    public RoundFlush(PrintStream out) {
        this.out = out;
    }

    /** Called after printing: the printed bytes reach the stream's destination by the end of the round. */
    public void flushSoon() {
        if (Thread.currentThread() == roundThread) {
            owed = true;
        } else {
            flush();
        }
    }

    /** Called by the loop thread at the end of each round: flushes what its rounds printed. */
    public void endRound() {
        roundThread = Thread.currentThread();
        if (owed) {
            owed = false;
            flush();
        }
    }

    private void flush() {
        synchronized (out) {
            out.flush();
        }
    }
}
