package dev.httptap.tls;

/** What every intercepted connection of a run shares: how servers are checked, the leaves, and memory. */
public record InterceptionContext(UpstreamTrust trust, LeafContexts leaves, RejectingClients rejecting) {}
