package dev.httptap.sandbox;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The IPv6 side of the TUN device: the command's address, its prefix length and the default route's next
 * hop (on the same prefix, so the route needs no neighbour discovery on the point-to-point TUN device).
 *
 * @param address the command's IPv6 address
 * @param prefixLength its on-link prefix, 1 to 127
 * @param gateway the default route's next hop, inside the prefix and different from {@code address}
 */
public record TunIpv6(Inet6Address address, int prefixLength, Inet6Address gateway) {
    /**
     * The prefix of {@link #defaults}: a unique local prefix (RFC 4193, fd00::/8), which is never routed on
     * the internet, so it cannot hide a real destination. It is fixed rather than random because it only
     * exists inside the command's namespace; 6874:7470 spells "http" in ASCII.
     */
    public static final String PREFIX = "fd77:6874:7470::";

    public TunIpv6 {
        if (prefixLength < 1 || prefixLength > 127) {
            throw new IllegalArgumentException("IPv6 prefix length must be 1 to 127, not " + prefixLength);
        }
        if (address.equals(gateway) || !samePrefix(address, gateway, prefixLength)) {
            throw new IllegalArgumentException("IPv6 gateway " + gateway.getHostAddress()
                    + " must be another address in " + address.getHostAddress() + "/" + prefixLength);
        }
    }

    /** {@code fd77:6874:7470::100/64} via {@code fd77:6874:7470::1}, mirroring 10.1.1.100/24 via 10.1.1.1. */
    public static TunIpv6 defaults() {
        return new TunIpv6(ipv6(PREFIX + "100"), 64, ipv6(PREFIX + "1"));
    }

    /**
     * Whether this host has IPv6 at all: the kernel lists at least one IPv6 address (::1 counts). A kernel
     * without IPv6 has no such file; with {@code disable_ipv6} set everywhere it lists none. Without IPv6
     * on the host the command gets none either, so it sees what it would see on the host: IPv6 connects
     * failing at once, dual-stack clients using IPv4.
     */
    public static boolean hostHasIpv6() {
        return hasIpv6Address(Path.of("/proc/net/if_inet6"));
    }

    static boolean hasIpv6Address(Path ifInet6) {
        try {
            return !Files.readString(ifInet6).isBlank(); // files under /proc report size 0: read them
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean samePrefix(Inet6Address a, Inet6Address b, int prefixLength) {
        byte[] left = a.getAddress();
        byte[] right = b.getAddress();
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((left[bit / 8] & mask) != (right[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address argument the helper takes, e.g. {@code fd77:6874:7470:0:0:0:0:100/64}. */
    String helperAddress() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    static Inet6Address ipv6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal); // a literal: no name lookup
        } catch (UnknownHostException | ClassCastException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + literal, e);
        }
    }
}
