package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import dev.httptap.stack.TcpConnection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A test double for the stack's side of one connection. Bytes "from the child" come from explicit chunks
 * or from a {@link Pattern} stream of any length; bytes written "to the child" are recorded, and the room
 * the relay may write into is set by the test. Thread-safe, so the test thread can look while the loop runs.
 */
final class FakeTcpConnection implements TcpConnection {
    static final int UNLIMITED = Integer.MAX_VALUE;
    private static final int UNLIMITED_ROOM = 1 << 20;

    private final FlowId flow;
    private final ByteArrayOutputStream fromChild = new ByteArrayOutputStream();
    private int fromChildRead;
    private long patternRemaining;
    private long patternOffset;
    private boolean childFinished;
    private boolean inputFinishedSeen;
    private final ByteArrayOutputStream toChild = new ByteArrayOutputStream();
    private long toChildTotal;
    private int room;
    private boolean outputShutdown;
    private boolean aborted;

    FakeTcpConnection(FlowId flow, int room) {
        this.flow = flow;
        this.room = room;
    }

    // ---- the test's side ----

    synchronized void childSends(byte[] bytes) {
        fromChild.writeBytes(bytes);
    }

    /** The child sends {@code count} bytes of {@link Pattern}, produced as they are read. */
    synchronized void childSendsPattern(long count) {
        patternRemaining += count;
    }

    synchronized void childFinishes() {
        childFinished = true;
    }

    /** Sets how many more bytes the relay may write (or {@link #UNLIMITED}). */
    synchronized void setRoom(int bytes) {
        room = bytes;
    }

    synchronized byte[] receivedByChild() {
        return toChild.toByteArray();
    }

    synchronized long receivedByChildCount() {
        return toChildTotal;
    }

    /** Forgets what was received (keeps the count), so long transfers need no memory. */
    synchronized byte[] takeReceivedByChild() {
        byte[] bytes = toChild.toByteArray();
        toChild.reset();
        return bytes;
    }

    synchronized long patternConsumed() {
        return patternOffset;
    }

    synchronized boolean outputShutdown() {
        return outputShutdown;
    }

    synchronized boolean aborted() {
        return aborted;
    }

    // ---- the relay's side ----

    @Override
    public void cork() {
        // the fake sends nothing, so there is nothing to hold back
    }

    @Override
    public void uncork() {
    }

    @Override
    public FlowId flow() {
        return flow;
    }

    @Override
    public synchronized int read(ByteBuffer dst) {
        int count = 0;
        byte[] explicit = fromChild.toByteArray();
        while (dst.hasRemaining() && fromChildRead < explicit.length) {
            dst.put(explicit[fromChildRead++]);
            count++;
        }
        while (dst.hasRemaining() && patternRemaining > 0) {
            dst.put(Pattern.byteAt(patternOffset++));
            patternRemaining--;
            count++;
        }
        if (readable() == 0 && childFinished) {
            inputFinishedSeen = true;
        }
        return count;
    }

    @Override
    public synchronized int readable() {
        return (int) Math.min(Integer.MAX_VALUE, fromChild.size() - fromChildRead + patternRemaining);
    }

    @Override
    public synchronized boolean isInputFinished() {
        return inputFinishedSeen;
    }

    @Override
    public synchronized int write(ByteBuffer src) {
        int count = Math.min(src.remaining(), writable());
        byte[] bytes = new byte[count];
        src.get(bytes);
        toChild.writeBytes(bytes);
        toChildTotal += count;
        if (room != UNLIMITED) {
            room -= count;
        }
        return count;
    }

    @Override
    public synchronized int writable() {
        if (outputShutdown || aborted) {
            return 0;
        }
        return room == UNLIMITED ? UNLIMITED_ROOM : room;
    }

    @Override
    public synchronized void shutdownOutput() {
        outputShutdown = true;
    }

    @Override
    public synchronized void abort() {
        aborted = true;
    }
}
