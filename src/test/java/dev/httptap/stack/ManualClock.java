package dev.httptap.stack;

/** A clock that moves only when a test says so. */
final class ManualClock implements Clock {
    private long now = 1_000_000_000_000L;

    @Override
    public long nanoTime() {
        return now;
    }

    void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }

    void advanceTo(long nanos) {
        now = Math.max(now, nanos);
    }
}
