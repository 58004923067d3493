package dev.httptap.relay;

import java.util.function.Consumer;

/**
 * Things that expire a fixed time after they were last touched. Because every entry has the same duration,
 * the order of touches is the order of deadlines: a doubly linked list stays sorted with O(1) touch, remove
 * and next-deadline, and no allocation per touch (a UDP flow is touched by every datagram).
 */
final class ExpiryList<T> {
    /** One member; made once per thing and reused across touches. */
    static final class Entry<T> {
        final T value;
        private Entry<T> previous;
        private Entry<T> next;
        private long deadline;
        private boolean linked;

        Entry(T value) {
            this.value = value;
        }
    }

    private final long durationNanos;
    private final Consumer<T> onExpiry;
    private Entry<T> oldest;
    private Entry<T> newest;
    private int size;

    ExpiryList(long durationNanos, Consumer<T> onExpiry) {
        this.durationNanos = durationNanos;
        this.onExpiry = onExpiry;
    }

    /** (Re)starts the entry's time: it now expires {@code durationNanos} after {@code now}. */
    void touch(Entry<T> entry, long now) {
        remove(entry);
        entry.deadline = now + durationNanos;
        entry.previous = newest;
        if (newest == null) {
            oldest = entry;
        } else {
            newest.next = entry;
        }
        newest = entry;
        entry.linked = true;
        size++;
    }

    /** Takes the entry out without expiring it; harmless if it is not in the list. */
    void remove(Entry<T> entry) {
        if (!entry.linked) {
            return;
        }
        if (entry.previous == null) {
            oldest = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            newest = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.linked = false;
        size--;
    }

    /** Removes every entry due at {@code now} and hands it to the expiry action; returns the next deadline. */
    long expire(long now) {
        while (oldest != null && oldest.deadline - now <= 0) {
            Entry<T> due = oldest;
            remove(due);
            onExpiry.accept(due.value);
        }
        return oldest == null ? Long.MAX_VALUE : oldest.deadline;
    }

    /** The least recently touched value, or null when empty. */
    T oldest() {
        return oldest == null ? null : oldest.value;
    }

    /** Removes every entry, oldest first, handing each to {@code action} (not the expiry action). */
    void drain(Consumer<T> action) {
        while (oldest != null) {
            Entry<T> first = oldest;
            remove(first);
            action.accept(first.value);
        }
    }

    int size() {
        return size;
    }
}
