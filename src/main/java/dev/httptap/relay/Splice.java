package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.TcpConnection;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Moves the bytes of one accepted connection both ways between the stack's {@link TcpConnection} (the
 * child) and a connected socket (the server), through the connection's {@link FlowHandler}, with flow
 * control on both sides:
 * <ul>
 *   <li>a side is read only when what the handler sent towards the other side has all been taken, and what
 *   it sent back is under {@link #CHUNK_BYTES}. Unread bytes close the stack's window (the child waits) or
 *   stay in the server socket (the server waits).
 *   <li>the child is read {@link #CHUNK_BYTES} at a time: what the server socket does not take at once waits
 *   in httptap's memory, so that is kept small.
 *   <li>the server is read up to {@link #SERVER_READ_BYTES} at a time, but no more than the child's
 *   connection has room for, so a handler that forwards bytes unchanged never leaves anything pending
 *   towards the child. Large reads matter for downloads: each read(2) of a loopback socket may acknowledge
 *   the server and wake it, a quarter of the loop's time at 64 KiB a read.
 * </ul>
 * FIN and RST reach the handler, which passes them on. Anything thrown while serving this connection, an
 * Error such as StackOverflowError from a handler's parser included, resets this connection only.
 */
final class Splice implements TcpConnection.Listener, ChannelHandler, FlowPeers {
    /** The most one read from the child moves, and the backlog towards a side under which it is read. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** The most one read from the server moves; also the size of the loop's scratch buffer. */
    static final int SERVER_READ_BYTES = 256 * 1024;

    private enum State { RELAYING, CLOSED }

    private SocketChannel socket;
    private SelectionKey key;
    private final ByteBuffer scratch;
    private final ByteBuffer scratchView;
    private final Consumer<Splice> onClosed;
    /** Dials this splice's destination again ({@link #redial}), answering with {@link #redialed}. */
    private final Consumer<Splice> redialer;
    private final PendingBytes toServer;
    private final PendingBytes toClient;
    private FlowHandler handler;
    private TcpConnection connection;
    private State state = State.RELAYING;
    /** The child's FIN was read and told to the handler. */
    private boolean clientFinished;
    /** The server's EOF was read and told to the handler. */
    private boolean serverFinished;
    private boolean serverEndRequested;
    private boolean serverOutputShut;
    private boolean clientEndRequested;
    private boolean clientOutputShut;
    /** The server's connection was dropped and a new one is being dialled: bytes for it wait. */
    private boolean redialing;
    private int interestOps;

    /**
     * @param scratch the loop's shared direct buffer of at least {@link #SERVER_READ_BYTES}; its content never
     *     outlives one call
     * @param budget   where the bytes waiting in the splice are counted; it limits reads from the child
     * @param onClosed told once, when the splice has released its socket
     * @param redialer dials the destination again for {@link #redial}, never answering within the call
     */
    Splice(SocketChannel socket, SelectionKey key, ByteBuffer scratch, BufferBudget budget,
            Consumer<Splice> onClosed, Consumer<Splice> redialer) {
        this.socket = socket;
        this.toServer = new PendingBytes(budget.account());
        this.toClient = new PendingBytes(budget.account());
        this.key = key;
        this.scratch = scratch;
        this.scratchView = scratch.asReadOnlyBuffer();
        this.onClosed = onClosed;
        this.redialer = redialer;
        this.interestOps = key.interestOps();
        key.attach(this);
    }

    /** Starts relaying on the connection the stack returned for this splice, through {@code handler}. */
    void start(TcpConnection accepted, FlowHandler flowHandler) {
        connection = accepted;
        handler = flowHandler;
        pumpToServer();
        updateInterest();
    }

    /** Bytes the handler sent towards the server that the socket has not taken yet. */
    int bufferedBytes() {
        return toServer.size();
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    @Override
    public void onReadable(TcpConnection c) {
        guarded(() -> {
            pumpToServer();
            updateInterest();
        });
    }

    @Override
    public void onWritable(TcpConnection c) {
        guarded(() -> {
            flushToClient();
            pumpToServer();
            updateInterest();
        });
    }

    @Override
    public void onReset(TcpConnection c) {
        guarded(() -> {
            if (state == State.RELAYING) {
                Log.verbose("%s: reset by the child", connection.flow());
                close(true);
            }
        });
    }

    @Override
    public void onClosed(TcpConnection c) {
        guarded(() -> {
            if (state == State.RELAYING) {
                // The stack finished before both ends were seen here: nothing normal is left to relay.
                close(true);
            }
        });
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flushToServer();
            pumpToServer();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            pumpToClient();
        }
        updateInterest();
    }

    @Override
    public void fail(Throwable error) {
        if (state == State.RELAYING) {
            Log.error("%s: relaying failed, resetting the connection: %s", connection.flow(), error);
            reset();
        }
    }

    /** Runs one call from the stack; what it throws resets this connection, not the stack's packet loop. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Ends the flow because httptap is stopping: both sides are reset. */
    void abort() {
        reset();
    }

    // FlowPeers: what the handler asks for.

    @Override
    public void sendToServer(ByteBuffer bytes) {
        if (state != State.RELAYING || serverEndRequested) {
            return;
        }
        if (toServer.isEmpty() && !redialing && !writeToServer(bytes)) {
            return;
        }
        if (bytes.hasRemaining()) {
            toServer.add(bytes);
        }
    }

    @Override
    public void sendToClient(ByteBuffer bytes) {
        if (state != State.RELAYING || clientEndRequested) {
            return;
        }
        if (toClient.isEmpty()) {
            connection.write(bytes);
        }
        if (bytes.hasRemaining()) {
            toClient.add(bytes);
        }
    }

    @Override
    public void endServer() {
        serverEndRequested = true;
        flushToServer();
    }

    @Override
    public void endClient() {
        clientEndRequested = true;
        flushToClient();
    }

    @Override
    public void reset() {
        if (state == State.RELAYING) {
            connection.abort();
            close(true);
        }
    }

    @Override
    public boolean redial() {
        if (state != State.RELAYING) {
            return false;
        }
        Log.verbose("%s: dropping the server's connection and dialling it again", connection.flow());
        closeSocket(false);
        toServer.release();
        serverFinished = false;
        serverEndRequested = false;
        serverOutputShut = false;
        redialing = true;
        redialer.accept(this);
        return true;
    }

    /** The new server connection {@link #redial} asked for: what waited for it goes out, and it is read. */
    void redialed(SocketChannel newSocket, SelectionKey newKey) {
        socket = newSocket;
        key = newKey;
        interestOps = newKey.interestOps();
        newKey.attach(this);
        redialing = false;
        flushToServer();
        pumpToServer();
        updateInterest();
    }

    // Reading.

    private void pumpToServer() {
        while (canRead(toServer, toClient) && !clientFinished) {
            scratch.clear().limit(toServer.readLimit(CHUNK_BYTES));
            if (connection.read(scratch) == 0) {
                break;
            }
            scratch.flip();
            deliver(() -> handler.onClientData(view(scratchView, scratch)));
        }
        if (canRead(toServer, toClient) && !clientFinished && connection.isInputFinished()) {
            clientFinished = true;
            deliver(handler::onClientEnd);
            closeIfDone();
        }
    }

    private void pumpToClient() {
        if (!canRead(toClient, toServer) || serverFinished || redialing) {
            return;
        }
        int room = Math.min(connection.writable(), SERVER_READ_BYTES);
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
            serverFinished = true;
            deliver(handler::onServerEnd);
            closeIfDone();
        } else if (count > 0) {
            scratch.flip();
            deliver(() -> handler.onServerData(view(scratchView, scratch)));
        }
    }

    /** A side may be read once its output drained and the backlog towards it is small. */
    private boolean canRead(PendingBytes forward, PendingBytes back) {
        return state == State.RELAYING && forward.isEmpty() && back.size() < CHUNK_BYTES;
    }

    /**
     * Runs one handler call with the child's side corked: a handler that answers in pieces (a TLS record
     * each) still reaches the child in full-sized segments, a quarter of the packets for TLS.
     */
    private void deliver(Runnable call) {
        if (state != State.RELAYING) {
            return;
        }
        connection.cork();
        try {
            call.run();
        } catch (Throwable e) {
            Log.error("%s: connection handler failed, resetting the connection: %s", connection.flow(), e);
            reset();
        } finally {
            connection.uncork();
        }
    }

    // Writing.

    private void flushToServer() {
        if (state != State.RELAYING || redialing) {
            return;
        }
        try {
            toServer.drainTo(socket::write);
        } catch (IOException e) {
            serverFailed(e);
            return;
        }
        if (toServer.isEmpty() && serverEndRequested && !serverOutputShut) {
            serverOutputShut = true;
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                serverFailed(e);
                return;
            }
            closeIfDone();
        }
    }

    private void flushToClient() {
        if (state != State.RELAYING) {
            return;
        }
        toClient.drainTo(connection::write);
        if (toClient.isEmpty() && clientEndRequested && !clientOutputShut) {
            clientOutputShut = true;
            connection.shutdownOutput();
            closeIfDone();
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

    private void closeIfDone() {
        if (state == State.RELAYING && clientFinished && serverFinished && serverOutputShut && clientOutputShut) {
            close(false);
        }
    }

    private void serverFailed(IOException error) {
        Log.verbose("%s: server connection failed: %s", connection.flow(), error.getMessage());
        reset();
    }

    /** Releases the socket (with RST when {@code reset}, so the server sees what the child did). */
    private void close(boolean reset) {
        state = State.CLOSED;
        toServer.release();
        toClient.release();
        closeSocket(reset);
        try {
            handler.onClose(reset);
        } catch (Throwable e) {
            Log.error("%s: connection handler failed while closing: %s", connection.flow(), e);
        }
        onClosed.accept(this);
    }

    /** Closes the server's socket (with RST when {@code reset}); its key goes with it. */
    private void closeSocket(boolean reset) {
        try {
            if (reset && socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            socket.close();
        } catch (IOException e) {
            Log.verbose("%s: closing the server socket: %s", connection.flow(), e.getMessage());
        }
    }

    private void updateInterest() {
        if (state != State.RELAYING || redialing) {
            return;
        }
        int wanted = 0;
        if (!toServer.isEmpty()) {
            wanted |= SelectionKey.OP_WRITE;
        }
        if (!serverFinished && connection.writable() > 0 && canRead(toClient, toServer)) {
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
