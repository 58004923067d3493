package dev.httptap.stack;

/** Monotonic time in nanoseconds, passed in so that timers can be driven by tests. */
@FunctionalInterface
public interface Clock {
    long nanoTime();

    Clock SYSTEM = System::nanoTime;
}
