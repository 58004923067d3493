package dev.httptap.relay;

import java.nio.ByteBuffer;

/**
 * The two ends of a relayed connection as a {@link FlowHandler} sees them. Bytes are copied or written
 * before a call returns, so the caller may reuse its buffer. Ends are delivered after the bytes queued
 * before them.
 */
public interface FlowPeers {
    /** Queues bytes for the server. */
    void sendToServer(ByteBuffer bytes);

    /** Queues bytes for the child. */
    void sendToClient(ByteBuffer bytes);

    /** Half-closes towards the server (FIN) once its queued bytes are out. */
    void endServer();

    /** Half-closes towards the child (FIN) once its queued bytes are out. */
    void endClient();

    /** Resets both sides at once. */
    void reset();

    /**
     * Drops the server's connection, unread bytes and all, and dials the same address again: what is sent
     * to the server from now on waits for the new connection and goes to it, and what the server sends is
     * the new connection's. A failed dial resets the child. Returns false, changing nothing, where these
     * peers cannot dial again (inside a proxy's tunnel, where a new connection would reach the proxy).
     */
    default boolean redial() {
        return false;
    }
}
