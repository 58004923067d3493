package dev.httptap.tls;

import dev.httptap.policy.DestinationPattern;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.relay.UpstreamObserver;
import java.util.List;

/**
 * What every intercepted connection of a run shares: how servers are checked, the leaves, memory, the
 * destinations the user wants passed through untouched ({@code --passthrough}), who hears about
 * handshakes, rejected servers and connections passed through, the egress policy's check of the server
 * names, who hears the TLS secrets of the child's side (null: nobody, and the run's own TLS library
 * serves that side), and what runs when a server agrees to HTTP/2 (work the connection would otherwise
 * wait for, started beside the child's handshake).
 */
public record InterceptionContext(UpstreamTrust trust, LeafContexts leaves, UntouchedServers untouched,
        List<DestinationPattern> passThrough, UpstreamObserver upstreams, ServerNameCheck serverNames,
        SecretListener secrets, Runnable h2Agreed) {
    public InterceptionContext(UpstreamTrust trust, LeafContexts leaves, UntouchedServers untouched) {
        this(trust, leaves, untouched, List.of(), UpstreamObserver.NONE, ServerNameCheck.ALL, null, () -> {});
    }

    public InterceptionContext withUpstreamObserver(UpstreamObserver observer) {
        return new InterceptionContext(trust, leaves, untouched, passThrough, observer, serverNames, secrets, h2Agreed);
    }

    public InterceptionContext withPassThrough(List<DestinationPattern> patterns) {
        return new InterceptionContext(trust, leaves, untouched, List.copyOf(patterns), upstreams, serverNames, secrets, h2Agreed);
    }

    public InterceptionContext withServerNameCheck(ServerNameCheck check) {
        return new InterceptionContext(trust, leaves, untouched, passThrough, upstreams, check, secrets, h2Agreed);
    }

    public InterceptionContext whenH2Agreed(Runnable action) {
        return new InterceptionContext(trust, leaves, untouched, passThrough, upstreams, serverNames, secrets, action);
    }

    /** The child's side told {@code listener} its secrets, through leaves that can tell them. */
    public InterceptionContext withSecretListener(SecretListener listener) {
        return new InterceptionContext(trust, leaves.loggingSecretsTo(listener), untouched, passThrough, upstreams,
                serverNames, listener, h2Agreed);
    }
}
