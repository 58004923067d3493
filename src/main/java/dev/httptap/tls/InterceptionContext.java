package dev.httptap.tls;

import dev.httptap.policy.DestinationPattern;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.relay.UpstreamObserver;
import java.util.List;

/**
 * What every intercepted connection of a run shares: how servers are checked, the leaves, memory, the
 * destinations the user wants passed through untouched ({@code --passthrough}), who hears about
 * handshakes, rejected servers and connections passed through, and the egress policy's check of the
 * server names.
 */
public record InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting,
        List<DestinationPattern> passThrough, UpstreamObserver upstreams, ServerNameCheck serverNames) {
    public InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting) {
        this(trust, leaves, rejecting, List.of(), UpstreamObserver.NONE, ServerNameCheck.ALL);
    }

    public InterceptionContext withUpstreamObserver(UpstreamObserver observer) {
        return new InterceptionContext(trust, leaves, rejecting, passThrough, observer, serverNames);
    }

    public InterceptionContext withPassThrough(List<DestinationPattern> patterns) {
        return new InterceptionContext(trust, leaves, rejecting, List.copyOf(patterns), upstreams, serverNames);
    }

    public InterceptionContext withServerNameCheck(ServerNameCheck check) {
        return new InterceptionContext(trust, leaves, rejecting, passThrough, upstreams, check);
    }
}
