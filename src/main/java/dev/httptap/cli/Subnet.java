package dev.httptap.cli;

import dev.httptap.wire.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 interface address with its prefix length, as written in {@code --subnet 10.1.1.100/24}. */
record Subnet(Inet4Address address, int prefixLength) {
    static Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected ADDRESS/PREFIX, like 10.1.1.100/24, got '" + text + "'");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("prefix length must be 1..30 in '" + text + "'");
        }
        return new Subnet(parseIpv4(text.substring(0, slash)), prefix);
    }

    /** Parses a dotted-quad literal without ever consulting DNS. */
    static Inet4Address parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** True when {@code other} lies in this subnet. */
    boolean contains(Inet4Address other) {
        return Ipv4Address.of(address).sameSubnet(Ipv4Address.of(other), prefixLength);
    }
}
