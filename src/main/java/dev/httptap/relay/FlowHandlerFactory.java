package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;

/** Makes the handler for each new TCP connection; higher layers (sniffing, TLS, HTTP) provide it. */
@FunctionalInterface
public interface FlowHandlerFactory {
    /** {@code upstream} is the address actually dialled (after host-alias mapping). */
    FlowHandler open(FlowId flow, InetSocketAddress upstream, FlowPeers peers);

    /** Relays every connection unchanged, watched by the observers {@code observers} makes. */
    static FlowHandlerFactory observing(FlowObserverFactory observers) {
        return (flow, upstream, peers) ->
                FlowHandler.observing(SafeObserver.open(observers, flow, upstream), peers);
    }
}
