package dev.httptap.policy;

import dev.httptap.wire.IpAddress;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv6Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A destination as the user names it on the command line: a host glob ({@code *.example.com},
 * {@code pinned.test}, see {@link HostGlob}), an IP address ({@code 10.0.0.5}, {@code fd77::1},
 * {@code [fd77::1]}) or a block of them ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), with an optional port
 * ({@code pinned.test:8443}, {@code [::1]:8443}, {@code 10.0.0.0/8:443}, {@code [2001:db8::/32]:443});
 * without one, any port matches. A glob is matched against the name the client used (TLS SNI, or the name
 * its DNS answer gave the address) or, without one, the address it dialled; an address or block matches the
 * dialled address by value, however either is written.
 */
public final class DestinationPattern {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private final String text;
    /** Null when the pattern is an address block. */
    private final Pattern glob;
    /** Null when the pattern is a glob. */
    private final AddressBlock addresses;
    /** 0 for any port. */
    private final int port;

    private DestinationPattern(String text, Pattern glob, AddressBlock addresses, int port) {
        this.text = text;
        this.glob = glob;
        this.addresses = addresses;
        this.port = port;
    }

    /** Throws {@link IllegalArgumentException} saying what is wrong with {@code text}. */
    public static DestinationPattern parse(String text) {
        HostPort split = HostPort.split(text)
                .orElseThrow(() -> new IllegalArgumentException("expected [IPV6] or [IPV6]:PORT"));
        int slash = split.host().indexOf('/');
        String host = slash < 0 ? split.host() : split.host().substring(0, slash);
        String prefix = slash < 0 ? null : split.host().substring(slash + 1);
        int port = port(split.port());
        if (host.indexOf(':') >= 0) {
            return new DestinationPattern(text, null, AddressBlock.of(Ipv6Address.ofLiteral(host)
                    .orElseThrow(() -> new IllegalArgumentException("'" + host + "' is not an IPv6 address")), prefix), port);
        }
        if (IPV4.matcher(host).matches()) {
            return new DestinationPattern(text, null, AddressBlock.of(ipv4(host), prefix), port);
        }
        if (prefix != null || host.isEmpty() || !host.matches("[A-Za-z0-9.*_\\-]+")) {
            throw new IllegalArgumentException("a host may hold only letters, digits, '.', '-', '_' and '*'");
        }
        return new DestinationPattern(text, HostGlob.compile(host), null, port);
    }

    /** Whether a connection to {@code destination}, for the name {@code name} (SNI, DNS) if any, is meant. */
    public boolean matches(Optional<String> name, InetSocketAddress destination) {
        if (port != 0 && destination.getPort() != port) {
            return false;
        }
        IpAddress dialled = IpAddress.of(destination.getAddress());
        if (addresses != null) {
            return addresses.contains(dialled);
        }
        return glob.matcher(name.orElseGet(dialled::toString)).matches();
    }

    /** Whether some connection to a host named {@code name}, on some port, could be meant (a glob matching it). */
    boolean couldMatchName(String name) {
        return glob != null && glob.matcher(name).matches();
    }

    /** Whether the pattern names addresses rather than names. */
    boolean isAddressBlock() {
        return addresses != null;
    }

    /** Whether the pattern matches every port. */
    boolean anyPort() {
        return port == 0;
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
