package dev.httptap.stack;

/**
 * One connection's listener events, collected while its state changes and delivered afterwards by
 * {@link #deliver}, so a listener always sees a consistent connection. A reset replaces whatever else was
 * pending: the connection is gone.
 */
final class PendingEvents {
    private final TcpConnectionImpl connection;
    private final TcpConnection.Listener listener;
    private boolean readable;
    private boolean writable;
    private boolean reset;
    private boolean closed;

    PendingEvents(TcpConnectionImpl connection, TcpConnection.Listener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    void addReadable() {
        readable = true;
    }

    void addWritable() {
        writable = true;
    }

    void addClosed() {
        closed = true;
    }

    void replaceWithReset() {
        readable = writable = closed = false;
        reset = true;
    }

    /** The forwarder itself ended the connection: it is told nothing. */
    void clear() {
        readable = writable = reset = closed = false;
    }

    /** Calls the listener for what happened since the last delivery. */
    void deliver() {
        if (reset) {
            reset = false;
            listener.onReset(connection);
            return;
        }
        if (readable) {
            readable = false;
            listener.onReadable(connection);
        }
        // Asked only now: the listener's onReadable may have finished the output.
        if (writable && connection.acceptsWrites()) {
            writable = false;
            listener.onWritable(connection);
        }
        if (closed) {
            closed = false;
            listener.onClosed(connection);
        }
    }
}
