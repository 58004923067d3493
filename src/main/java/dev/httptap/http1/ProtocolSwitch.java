package dev.httptap.http1;

import dev.httptap.event.Exchange;
import dev.httptap.event.ResponseHead;
import dev.httptap.relay.FlowObserver;

/** Follows a connection on in the protocol a {@code 101 Switching Protocols} switched it to. */
@FunctionalInterface
public interface ProtocolSwitch {
    /**
     * The observer of the rest of the connection after {@code switching} answered the request of {@code exchange},
     * or null when that protocol is not followed. An observer takes the exchange over: the 101 is not its
     * response, and the observer finishes it.
     */
    FlowObserver follow(Exchange exchange, ResponseHead switching);

    ProtocolSwitch NONE = (exchange, switching) -> null;
}
