package dev.httptap.tls;

import java.util.List;
import java.util.Optional;

/**
 * What httptap needs from a TLS ClientHello: the server name the client asked for (SNI) and the
 * application protocols it offered (ALPN), in its order of preference.
 */
public record ClientHello(Optional<String> serverName, List<String> applicationProtocols) {
    public ClientHello {
        applicationProtocols = List.copyOf(applicationProtocols);
    }
}
