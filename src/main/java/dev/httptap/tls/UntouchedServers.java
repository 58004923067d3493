package dev.httptap.tls;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers ("name:port") whose TLS connections this run passes through untouched since one of them
 * showed httptap cannot stand in the middle: the child refused httptap's certificate (pinning, a private
 * trust store), or the server asked for a client certificate. Their later connections pass through at the
 * ClientHello. At most {@link #MAX_ENTRIES}.
 */
public final class UntouchedServers {
    static final int MAX_ENTRIES = 4096;

    private final Set<String> servers = ConcurrentHashMap.newKeySet();

    void remember(String server) {
        if (servers.size() < MAX_ENTRIES) {
            servers.add(server);
        }
    }

    boolean contains(String server) {
        return servers.contains(server);
    }
}
