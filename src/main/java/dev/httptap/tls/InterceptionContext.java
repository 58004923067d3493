package dev.httptap.tls;

import dev.httptap.policy.DestinationPattern;
import dev.httptap.relay.UpstreamObserver;
import java.util.List;

/**
 * What every intercepted connection of a run shares: how servers are checked, the leaves, memory, the
 * destinations the user wants passed through untouched ({@code --passthrough}), and who hears about
 * handshakes, rejected servers and connections passed through.
 */
public record InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting,
        List<DestinationPattern> passThrough, UpstreamObserver upstreams) {
    public InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting) {
        this(trust, leaves, rejecting, List.of(), UpstreamObserver.NONE);
    }

    public InterceptionContext withUpstreamObserver(UpstreamObserver observer) {
        return new InterceptionContext(trust, leaves, rejecting, passThrough, observer);
    }

    public InterceptionContext withPassThrough(List<DestinationPattern> patterns) {
        return new InterceptionContext(trust, leaves, rejecting, List.copyOf(patterns), upstreams);
    }
}
