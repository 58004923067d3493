package dev.httptap.relay;

import java.nio.ByteBuffer;

/**
 * Sees the bytes of one relayed TCP connection as they pass, in each direction, without changing them.
 * Buffers are read-only views valid only during the call. Called on the relay's thread.
 */
public interface FlowObserver {
    /** Bytes from the child towards the server. */
    default void onClientData(ByteBuffer data) {}

    /** Bytes from the server towards the child. */
    default void onServerData(ByteBuffer data) {}

    /** The child finished sending (FIN). */
    default void onClientEnd() {}

    /** The server finished sending (FIN). */
    default void onServerEnd() {}

    /** The connection is over; {@code reset} when it ended abnormally (RST, error, timeout, shutdown). */
    default void onClose(boolean reset) {}

    FlowObserver NONE = new FlowObserver() {};
}
