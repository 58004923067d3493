package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * The child-facing half of one TCP connection, as a pair of bounded byte queues. The receive queue holds
 * bytes the child sent that the forwarder has not read yet; its free space is the window the stack
 * advertises, so a forwarder that stops reading stops the child. The send queue holds bytes for the child
 * that are not yet acknowledged.
 *
 * <p>All methods run on the stack's thread. Listener methods are called only from within
 * {@link NetworkStack#receive} and {@link NetworkStack#runTimers}, never from within a method of this
 * interface, so a listener may call any of these methods freely.
 */
public interface TcpConnection {
    FlowId flow();

    /** Moves received bytes into {@code dst}; returns the count, 0 when none are waiting. */
    int read(ByteBuffer dst);

    /** Bytes waiting to be read. */
    int readable();

    /** True once the child's FIN has been reached by {@link #read}: no more bytes will come. */
    boolean isInputFinished();

    /** Queues bytes for the child, as many as fit; returns how many were taken. */
    int write(ByteBuffer src);

    /** How many bytes {@link #write} would take now. */
    int writable();

    /**
     * Until {@link #uncork}, queued bytes leave only in full-sized segments, so that bytes written by
     * several small calls (a TLS record each, say) share packets instead of each taking its own.
     */
    void cork();

    /** Sends whatever {@link #cork} held back, and sends at once again from then on. */
    void uncork();

    /** Sends FIN after everything queued (half-close: the child may still send). */
    void shutdownOutput();

    /** Sends RST and forgets the connection at once. */
    void abort();

    /** Events from the stack, all with empty defaults. */
    interface Listener {
        /** New bytes can be read, or the child's FIN arrived after them ({@link #isInputFinished}). */
        default void onReadable(TcpConnection connection) {}

        /** Space opened in the send queue after it was full. */
        default void onWritable(TcpConnection connection) {}

        /** The child reset the connection, or it timed out; it is gone. */
        default void onReset(TcpConnection connection) {}

        /** Both directions finished normally and the stack released the connection. */
        default void onClosed(TcpConnection connection) {}
    }
}
