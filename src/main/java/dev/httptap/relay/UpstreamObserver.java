package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;

/**
 * Hears how reaching the real server went for each of the child's TCP connections: the relay reports its
 * dials, and a layer above it that talks to the server first (TLS interception) reports its own handshake.
 * Higher layers provide it (the error lines, HAR timings). Called on the relay's loop thread, so it must be
 * quick. Times are {@link dev.httptap.stack.Clock} nanoseconds.
 */
public interface UpstreamObserver {
    /** The dial for {@code flow} to {@code upstream} (the address really dialled) succeeded. */
    default void onConnected(FlowId flow, InetSocketAddress upstream, long dialStartNanos, long connectedNanos) {}

    /** The dial failed; {@code reason} in words: "connection refused", "timed out", "no route to host". */
    default void onConnectFailed(FlowId flow, InetSocketAddress upstream, String reason) {}

    /** The TLS handshake on {@code flow}, from the child's ClientHello to the child's handshake done. */
    default void onHandshake(FlowId flow, long startNanos, long doneNanos) {}

    /** {@code server} ("name:port") was reached but could not be talked to, e.g. its certificate failed. */
    default void onServerRejected(FlowId flow, String server, String reason) {}

    /**
     * TLS connections to {@code server} ("name:port") are relayed untouched from now on, for {@code cause}.
     * Said for each such connection; the hearer tells the first from the rest.
     */
    default void onPassThrough(FlowId flow, String server, PassThroughCause cause) {}

    UpstreamObserver NONE = new UpstreamObserver() {};
}
