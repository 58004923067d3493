package dev.httptap.relay;

import dev.httptap.stack.FlowId;

/** Makes the observer for each new TCP connection; higher layers (sniffing, HTTP) provide it. */
@FunctionalInterface
public interface FlowObserverFactory {
    /** {@code upstream} is the address actually dialled (after host-alias mapping). */
    FlowObserver open(FlowId flow, java.net.InetSocketAddress upstream);
}
