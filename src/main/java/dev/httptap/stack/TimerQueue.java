package dev.httptap.stack;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Deadlines of many timers in a binary min-heap; each {@link Timer} knows its slot, so rescheduling is
 * O(log n) and nothing is allocated or scanned per tick.
 */
final class TimerQueue {
    static final long NEVER = Long.MAX_VALUE;

    /** One rescheduling timer; its action receives the current time. */
    static final class Timer {
        private final LongConsumer action;
        private long deadline = NEVER;
        private int slot = -1;

        Timer(LongConsumer action) {
            this.action = action;
        }

        long deadline() {
            return deadline;
        }
    }

    private Timer[] heap = new Timer[16];
    private int size;

    /** Sets the timer's deadline, replacing any earlier one; {@link #NEVER} cancels it. */
    void schedule(Timer timer, long deadline) {
        if (deadline == NEVER) {
            cancel(timer);
            return;
        }
        if (timer.slot < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            timer.slot = size;
            heap[size++] = timer;
        }
        timer.deadline = deadline;
        siftUp(timer.slot);
        siftDown(timer.slot);
    }

    void cancel(Timer timer) {
        int slot = timer.slot;
        if (slot < 0) {
            return;
        }
        timer.slot = -1;
        timer.deadline = NEVER;
        Timer last = heap[--size];
        heap[size] = null;
        if (slot < size) {
            heap[slot] = last;
            last.slot = slot;
            siftUp(slot);
            siftDown(last.slot);
        }
    }

    long nextDeadline() {
        return size == 0 ? NEVER : heap[0].deadline;
    }

    int size() {
        return size;
    }

    /**
     * Fires the timers due at {@code now}, earliest first. Only as many as were queued on entry run, so a
     * timer that reschedules itself for {@code now} waits for the next call instead of looping.
     */
    void runDue(long now) {
        for (int budget = size; budget > 0 && size > 0 && heap[0].deadline <= now; budget--) {
            Timer timer = heap[0];
            cancel(timer);
            timer.action.accept(now);
        }
    }

    private void siftUp(int slot) {
        Timer timer = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) / 2;
            if (heap[parent].deadline <= timer.deadline) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(timer, slot);
    }

    private void siftDown(int slot) {
        Timer timer = heap[slot];
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].deadline < heap[child].deadline) {
                child++;
            }
            if (timer.deadline <= heap[child].deadline) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(timer, slot);
    }

    private void place(Timer timer, int slot) {
        heap[slot] = timer;
        timer.slot = slot;
    }
}
