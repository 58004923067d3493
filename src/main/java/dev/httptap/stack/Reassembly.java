package dev.httptap.stack;

/**
 * Which byte ranges past the in-order end have arrived out of order (smoltcp's assembler idea). Offsets
 * are relative to the in-order end; when the first gap fills, the ranges shift down. At most
 * {@link #MAX_RANGES} separate ranges are held, which bounds the bookkeeping per connection.
 */
final class Reassembly {
    static final int MAX_RANGES = 8;
    /** Returned by {@link #add} when the segment would need a range the table has no room for. */
    static final int FULL = -1;

    private final int[] starts = new int[MAX_RANGES];
    private final int[] ends = new int[MAX_RANGES];
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    int rangeCount() {
        return count;
    }

    /**
     * Records {@code [offset, offset + length)}. Returns how many bytes are now contiguous from the
     * in-order end (they are removed from the table), 0 while a gap remains, or {@link #FULL}.
     */
    int add(int offset, int length) {
        int start = offset;
        int end = offset + length;
        int first = 0;
        while (first < count && ends[first] < start) {
            first++;
        }
        int last = first;
        while (last < count && starts[last] <= end) {
            start = Math.min(start, starts[last]);
            end = Math.max(end, ends[last]);
            last++;
        }
        int merged = last - first;
        if (merged == 0 && count == MAX_RANGES) {
            return FULL;
        }
        replace(first, merged, start, end);
        if (starts[0] != 0) {
            return 0;
        }
        int contiguous = ends[0];
        count--;
        for (int i = 0; i < count; i++) {
            starts[i] = starts[i + 1] - contiguous;
            ends[i] = ends[i + 1] - contiguous;
        }
        return contiguous;
    }

    /** Replaces {@code removed} ranges at {@code index} with the single range {@code [start, end)}. */
    private void replace(int index, int removed, int start, int end) {
        int shift = 1 - removed;
        System.arraycopy(starts, index + removed, starts, index + 1, count - index - removed);
        System.arraycopy(ends, index + removed, ends, index + 1, count - index - removed);
        starts[index] = start;
        ends[index] = end;
        count += shift;
    }
}
