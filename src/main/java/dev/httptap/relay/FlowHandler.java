package dev.httptap.relay;

import java.nio.ByteBuffer;

/**
 * Takes over the byte streams of one relayed TCP connection (sans-IO): it is told what each side sent and
 * decides what the other side gets, through the {@link FlowPeers} it was opened with. Passing bytes on
 * unchanged is {@link #observing}; TLS interception replaces them. Buffers are read-only views valid only
 * during the call. Called on the relay's thread; an exception resets the connection.
 *
 * <p>Backpressure: the relay reads a side again only once what the handler sent towards the other side
 * has drained, so a handler that emits about as much as it receives keeps memory bounded.
 */
public interface FlowHandler {
    /** Bytes from the child towards the server. */
    void onClientData(ByteBuffer data);

    /** Bytes from the server towards the child. */
    void onServerData(ByteBuffer data);

    /** The child finished sending (FIN). */
    void onClientEnd();

    /** The server finished sending (FIN). */
    void onServerEnd();

    /** The connection is over; {@code reset} when it ended abnormally (RST, error, timeout, shutdown). */
    void onClose(boolean reset);

    /** Forwards every byte and end unchanged, showing them to {@code observer} on the way. */
    static FlowHandler observing(FlowObserver observer, FlowPeers peers) {
        return new ObservingHandler(observer, peers);
    }
}
