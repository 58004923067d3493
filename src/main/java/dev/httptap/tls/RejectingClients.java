package dev.httptap.tls;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers ("name:port") whose clients refused httptap's certificate during this run (pinning, a
 * private trust store): their later connections pass through untouched. At most {@link #MAX_ENTRIES}.
 */
public final class RejectingClients {
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
