package dev.httptap.stack;

/**
 * One memory budget for the bytes held on behalf of every connection, in the stack (what the child may send
 * before the server reads it, what the server sent before the child acknowledges it) and in the relay.
 * Without it, thousands of connections into servers that never read would each fill their own buffers,
 * gigabytes in all. Each holder has an {@link Account}: it may grow only while the budget lasts, and may
 * always hold {@link #RESERVE_BYTES}, so a connection holding nothing can always move some bytes: a spent
 * budget slows connections down (the stack advertises a smaller window, the relay reads the server less)
 * and never stops one. At most the budget plus one reserve per account is held. Loop thread only.
 */
public final class BufferBudget {
    /** The budget of a run of httptap. */
    public static final long DEFAULT_BYTES = 64L << 20;
    /** What an account may hold whatever the rest of the budget holds. */
    public static final int RESERVE_BYTES = 16 * 1024;

    private final long totalBytes;
    private long heldBytes;

    public BufferBudget(long totalBytes) {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("negative budget " + totalBytes);
        }
        this.totalBytes = totalBytes;
    }

    /** A budget that never runs out, for tests of other limits. */
    public static BufferBudget unlimited() {
        return new BufferBudget(Long.MAX_VALUE / 4);
    }

    /** Bytes held by all accounts together now. */
    public long heldBytes() {
        return heldBytes;
    }

    public Account account() {
        return new Account();
    }

    /** What one holder (one side of one connection) holds. */
    public final class Account {
        private long held;

        /** The most this account may hold in all now: what it holds plus what is left, at least the reserve. */
        public int limit() {
            long left = held + totalBytes - heldBytes;
            return (int) Math.min(Integer.MAX_VALUE, Math.max(RESERVE_BYTES, left));
        }

        /** Records that the account holds {@code bytes} now. */
        public void hold(long bytes) {
            heldBytes += bytes - held;
            held = bytes;
        }

        public long held() {
            return held;
        }
    }
}
