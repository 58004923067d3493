package dev.httptap.event;

import java.util.List;

/** Fans the egress policy's events out to several sinks (the BLOCKED lines, the summary, the audit). */
public final class EgressListeners {
    private EgressListeners() {}

    public static EgressListener of(List<EgressListener> listeners) {
        List<EgressListener> all = List.copyOf(listeners);
        return new EgressListener() {
            @Override
            public void onBlocked(Blocked blocked) {
                all.forEach(listener -> listener.onBlocked(blocked));
            }

            @Override
            public void onReached(Reached reached) {
                all.forEach(listener -> listener.onReached(reached));
            }
        };
    }
}
