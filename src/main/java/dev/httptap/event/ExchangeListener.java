package dev.httptap.event;

import java.nio.ByteBuffer;

/**
 * Hears about HTTP exchanges as they progress; override only what you need. Called on the connection's
 * thread, and different connections may use different threads, so implementations must be thread-safe.
 * Body buffers are read-only views valid only during the call, without transfer framing.
 */
public interface ExchangeListener {
    default void onRequestHead(Exchange exchange) {}

    default void onRequestBody(Exchange exchange, ByteBuffer data) {}

    /** The final response head (interim 1xx responses are not reported, 101 is). */
    default void onResponseHead(Exchange exchange) {}

    default void onResponseBody(Exchange exchange, ByteBuffer data) {}

    /** The exchange is over, completely or cut short: see {@link Exchange#outcome()}. Called once. */
    default void onExchangeFinished(Exchange exchange) {}

    /**
     * An exchange turned out unwanted (a filter judged it when it finished): nothing more comes for it, so
     * whatever was kept for it can go (it may be one this listener heard nothing of). Called instead of
     * {@link #onExchangeFinished}.
     */
    default void onExchangeDropped(Exchange exchange) {}

    /**
     * Something on {@code connection} goes unreported, or reported only in part, outside any one exchange:
     * bytes that stopped making sense with no exchange open (a response no request asked for), streams
     * beyond a bound. {@code reason} is a whole sentence for a user ("cannot follow the connection: ...").
     */
    default void onNotFollowed(ConnectionInfo connection, String reason) {}

    ExchangeListener NONE = new ExchangeListener() {};
}
