package dev.httptap.tls;

import dev.httptap.relay.UpstreamObserver;

/**
 * What every intercepted connection of a run shares: how servers are checked, the leaves, memory, and who
 * hears about handshakes and rejected servers.
 */
public record InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting,
        UpstreamObserver upstreams) {
    public InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting) {
        this(trust, leaves, rejecting, UpstreamObserver.NONE);
    }

    public InterceptionContext withUpstreamObserver(UpstreamObserver observer) {
        return new InterceptionContext(trust, leaves, rejecting, observer);
    }
}
