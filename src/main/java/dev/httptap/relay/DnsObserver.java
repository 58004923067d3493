package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;

/**
 * Hears about the DNS queries the child sends to the gateway, over UDP or TCP, and what comes back; higher
 * layers (the --print-dns printer) provide it. Called on the relay's loop thread, so it must be quick;
 * buffers are read-only views of one whole DNS message, valid only during the call. A query the child's
 * resolver retransmits over UDP is reported once; over TCP, {@link #onNoAnswer} is never called.
 */
public interface DnsObserver {
    /** A query from the child, about to be answered locally or forwarded. */
    default void onQuery(FlowId flow, ByteBuffer query) {}

    /** The answer going back to the child for a query reported before, whatever its response code. */
    default void onAnswer(FlowId flow, ByteBuffer answer) {}

    /** No server answered {@code query} in time, so the child's resolver will time out. */
    default void onNoAnswer(FlowId flow, ByteBuffer query) {}

    DnsObserver NONE = new DnsObserver() {};
}
