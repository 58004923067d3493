package dev.httptap.event;

/**
 * Hears what the egress policy did: what it blocked and, for --audit, what it let through. Called on the
 * relay's loop thread, so it must be quick.
 */
public interface EgressListener {
    default void onBlocked(Blocked blocked) {}

    default void onReached(Reached reached) {}

    EgressListener NONE = new EgressListener() {};
}
