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
}
