package dev.httptap.sniff;

import java.util.Set;

/**
 * Ports the user forced to a protocol: {@code --http} ports are parsed as HTTP/1 without sniffing (and
 * never intercepted as TLS); {@code --https} ports need nothing special, since TLS is recognised by its
 * ClientHello on every port. Other ports are sniffed.
 */
public record SniffOptions(Set<Integer> httpPorts, Set<Integer> httpsPorts) {
    public SniffOptions {
        httpPorts = Set.copyOf(httpPorts);
        httpsPorts = Set.copyOf(httpsPorts);
    }

    /** The original httptap's defaults: HTTP on 80, HTTPS on 443. */
    public static SniffOptions defaults() {
        return new SniffOptions(Set.of(80), Set.of(443));
    }
}
