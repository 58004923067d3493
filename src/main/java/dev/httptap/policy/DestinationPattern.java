package dev.httptap.policy;

import dev.httptap.wire.IpAddress;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv6Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A destination as the user names it on the command line: a host glob ({@code *.example.com},
 * {@code pinned.test}, see {@link HostGlob}) or an IP address ({@code 10.0.0.5}, {@code fd77::1},
 * {@code [fd77::1]}), with an optional port ({@code pinned.test:8443}, {@code [::1]:8443}); without one,
 * any port matches. A glob is matched against the name the client asked for (TLS SNI) or, without one, the
 * address it dialled; an address matches the dialled address by value, however either is written.
 */
public final class DestinationPattern {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private final String text;
    /** Null when the pattern is an address. */
    private final Pattern glob;
    /** Null when the pattern is a glob. */
    private final IpAddress address;
    /** 0 for any port. */
    private final int port;

    private DestinationPattern(String text, Pattern glob, IpAddress address, int port) {
        this.text = text;
        this.glob = glob;
        this.address = address;
        this.port = port;
    }

    /** Throws {@link IllegalArgumentException} saying what is wrong with {@code text}. */
    public static DestinationPattern parse(String text) {
        HostPort split = HostPort.split(text)
                .orElseThrow(() -> new IllegalArgumentException("expected [IPV6] or [IPV6]:PORT"));
        String host = split.host();
        int port = port(split.port());
        if (host.indexOf(':') >= 0) {
            return new DestinationPattern(text, null, Ipv6Address.ofLiteral(host)
                    .orElseThrow(() -> new IllegalArgumentException("'" + host + "' is not an IPv6 address")), port);
        }
        if (IPV4.matcher(host).matches()) {
            return new DestinationPattern(text, null, ipv4(host), port);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.*_\\-]+")) {
            throw new IllegalArgumentException("a host may hold only letters, digits, '.', '-', '_' and '*'");
        }
        return new DestinationPattern(text, HostGlob.compile(host), null, port);
    }

    /** Whether a connection to {@code destination}, for the name {@code name} (SNI) if any, is meant. */
    public boolean matches(Optional<String> name, InetSocketAddress destination) {
        if (port != 0 && destination.getPort() != port) {
            return false;
        }
        IpAddress dialled = IpAddress.of(destination.getAddress());
        if (address != null) {
            return address.equals(dialled);
        }
        return glob.matcher(name.orElseGet(dialled::toString)).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    private static IpAddress ipv4(String literal) {
        int[] parts = new int[4];
        String[] texts = literal.split("\\.");
        for (int i = 0; i < 4; i++) {
            parts[i] = Integer.parseInt(texts[i]);
            if (parts[i] > 255) {
                throw new IllegalArgumentException("'" + literal + "' is not an IPv4 address");
            }
        }
        return Ipv4Address.of(parts[0], parts[1], parts[2], parts[3]);
    }

    private static int port(String text) {
        if (text == null) {
            return 0;
        }
        int port = PORT.matcher(text).matches() ? Integer.parseInt(text) : 0;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not a port (1-65535)");
        }
        return port;
    }
}
