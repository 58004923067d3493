package dev.httptap.event;

/** Wall-clock time for "when" (HAR's startedDateTime) and monotonic time for "how long"; tests pass fakes. */
public interface ExchangeClock {
    long epochMillis();

    long nanoTime();

    ExchangeClock SYSTEM = new ExchangeClock() {
        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };
}
