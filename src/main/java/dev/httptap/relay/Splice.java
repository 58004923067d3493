package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.TcpConnection;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Moves the bytes of one accepted connection both ways between the stack's {@link TcpConnection} (the
 * child) and a connected socket (the server), with flow control on both sides:
 * <ul>
 *   <li>child to server: bytes are read from the connection and written to the socket; what the socket
 *   does not take is kept (at most {@link #CHUNK_BYTES}) and reading the connection stops until the socket
 *   drains, so the stack's window closes and the child waits.
 *   <li>server to child: the socket is read only while the connection has room, and never more than that
 *   room, through a loop-wide scratch buffer, so nothing is ever kept here.
 * </ul>
 * FIN and RST are passed on in both directions, and the observer sees every byte as it is forwarded.
 */
final class Splice implements TcpConnection.Listener, ChannelHandler {
    /** The most one read moves, and so the most this splice ever holds for the server. */
    static final int CHUNK_BYTES = 64 * 1024;

    private enum State { RELAYING, CLOSED }

    private final SocketChannel socket;
    private final SelectionKey key;
    private final FlowObserver observer;
    private final ByteBuffer scratch;
    private final ByteBuffer scratchView;
    private final Consumer<Splice> onClosed;
    private TcpConnection connection;
    private ByteBuffer unsent;
    private State state = State.RELAYING;
    private boolean clientFinished;
    private boolean serverFinished;
    private int interestOps;

    /**
     * @param scratch the loop's shared direct buffer of at least {@link #CHUNK_BYTES}; its content never
     *     outlives one call
     * @param onClosed told once, when the splice has released its socket
     */
    Splice(SocketChannel socket, SelectionKey key, FlowObserver observer, ByteBuffer scratch,
            Consumer<Splice> onClosed) {
        this.socket = socket;
        this.key = key;
        this.observer = observer;
        this.scratch = scratch;
        this.scratchView = scratch.asReadOnlyBuffer();
        this.onClosed = onClosed;
        this.interestOps = key.interestOps();
        key.attach(this);
    }

    /** Starts relaying on the connection the stack returned for this splice. */
    void start(TcpConnection accepted) {
        connection = accepted;
        pumpToServer();
        updateInterest();
    }

    /** Bytes read from the child and not yet taken by the server socket. */
    int bufferedBytes() {
        return unsent == null ? 0 : unsent.remaining();
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    @Override
    public void onReadable(TcpConnection c) {
        pumpToServer();
        updateInterest();
    }

    @Override
    public void onWritable(TcpConnection c) {
        updateInterest();
    }

    @Override
    public void onReset(TcpConnection c) {
        if (state == State.RELAYING) {
            Log.verbose("%s: reset by the child", connection.flow());
            close(true);
        }
    }

    @Override
    public void onClosed(TcpConnection c) {
        if (state == State.RELAYING) {
            // The stack finished before both ends were seen here: nothing normal is left to relay.
            close(true);
        }
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flushUnsent();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            pumpToClient();
        }
        updateInterest();
    }

    @Override
    public void fail(RuntimeException error) {
        if (state == State.RELAYING) {
            connection.abort();
            close(true);
        }
    }

    /** Ends the flow because httptap is stopping: both sides are reset. */
    void abort() {
        if (state == State.RELAYING) {
            connection.abort();
            close(true);
        }
    }

    private void pumpToServer() {
        if (state != State.RELAYING || bufferedBytes() > 0 || clientFinished) {
            return; // waiting for the socket to drain: the unread bytes hold the child's window shut
        }
        while (true) {
            scratch.clear();
            if (connection.read(scratch) == 0) {
                break;
            }
            scratch.flip();
            observer.onClientData(view(scratchView, scratch));
            if (!writeToServer(scratch)) {
                return;
            }
            if (scratch.hasRemaining()) {
                keepUnsent(scratch);
                return;
            }
        }
        if (connection.isInputFinished()) {
            finishClientSide();
        }
    }

    private void flushUnsent() {
        if (state != State.RELAYING || !writeToServer(unsent)) {
            return;
        }
        if (!unsent.hasRemaining()) {
            pumpToServer();
        }
    }

    private boolean writeToServer(ByteBuffer bytes) {
        try {
            socket.write(bytes);
            return true;
        } catch (IOException e) {
            serverFailed(e);
            return false;
        }
    }

    private void keepUnsent(ByteBuffer rest) {
        if (unsent == null) {
            unsent = ByteBuffer.allocateDirect(CHUNK_BYTES); // only connections that met a slow server pay for it
        }
        unsent.clear();
        unsent.put(rest).flip();
    }

    private void pumpToClient() {
        if (state != State.RELAYING || serverFinished) {
            return;
        }
        int room = Math.min(connection.writable(), scratch.capacity());
        if (room == 0) {
            return;
        }
        scratch.clear().limit(room);
        int count;
        try {
            count = socket.read(scratch);
        } catch (IOException e) {
            serverFailed(e);
            return;
        }
        if (count < 0) {
            finishServerSide();
            return;
        }
        if (count == 0) {
            return;
        }
        scratch.flip();
        observer.onServerData(view(scratchView, scratch));
        int taken = connection.write(scratch);
        if (taken < count) {
            Log.error("%s: the stack took %d of %d bytes it had room for; resetting", connection.flow(), taken, count);
            connection.abort();
            close(true);
        }
    }

    private void finishClientSide() {
        clientFinished = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            serverFailed(e);
            return;
        }
        observer.onClientEnd();
        closeIfBothFinished();
    }

    private void finishServerSide() {
        serverFinished = true;
        connection.shutdownOutput();
        observer.onServerEnd();
        closeIfBothFinished();
    }

    private void closeIfBothFinished() {
        if (clientFinished && serverFinished) {
            close(false);
        }
    }

    private void serverFailed(IOException error) {
        Log.verbose("%s: server connection failed: %s", connection.flow(), error.getMessage());
        connection.abort();
        close(true);
    }

    /** Releases the socket (with RST when {@code reset}, so the server sees what the child did). */
    private void close(boolean reset) {
        state = State.CLOSED;
        try {
            if (reset) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            socket.close();
        } catch (IOException e) {
            Log.verbose("%s: closing the server socket: %s", connection.flow(), e.getMessage());
        }
        observer.onClose(reset);
        onClosed.accept(this);
    }

    private void updateInterest() {
        if (state != State.RELAYING) {
            return;
        }
        int wanted = 0;
        if (bufferedBytes() > 0) {
            wanted |= SelectionKey.OP_WRITE;
        }
        if (!serverFinished && connection.writable() > 0) {
            wanted |= SelectionKey.OP_READ;
        }
        if (wanted != interestOps) {
            key.interestOps(wanted);
            interestOps = wanted;
        }
    }

    /** The bytes between {@code source}'s position and limit, through a read-only view made once. */
    private static ByteBuffer view(ByteBuffer readOnlyView, ByteBuffer source) {
        readOnlyView.limit(source.limit()).position(source.position());
        return readOnlyView;
    }
}
