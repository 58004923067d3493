package dev.httptap.cli;

import dev.httptap.wire.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 interface address with its prefix length, as written in {@code --subnet 10.1.1.100/24}. Parse
 * errors say what is wrong with the text; the caller names the flag.
 */
record Subnet(Inet4Address address, int prefixLength) {
    // equals and hashCode are written out for start-up's sake (the default sandbox is recognised by them):
    // see wire's IpProtocol.

    @Override
    public boolean equals(Object other) {
        return other instanceof Subnet subnet && subnet.prefixLength == prefixLength && subnet.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + prefixLength;
    }

    static Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected ADDRESS/PREFIX, like 10.1.1.100/24");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the prefix length is not a number");
        }
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("the prefix length must be 1 to 30");
        }
        return new Subnet(parseIpv4(text.substring(0, slash)), prefix);
    }

    /** Parses a dotted-quad literal without ever consulting DNS. */
    static Inet4Address parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (A.B.C.D)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address (A.B.C.D)");
            }
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IPv4 address (A.B.C.D): " + value + " is over 255");
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

    /**
     * The gateway for a {@code --subnet} given without {@code --gateway}: the subnet's first address, as
     * 10.1.1.1 is for the default 10.1.1.100/24, or its second when the first is the command's own.
     */
    Inet4Address firstOtherAddress() {
        int mask = -1 << (32 - prefixLength);
        int first = (Ipv4Address.of(address).bits() & mask) + 1;
        Ipv4Address gateway = new Ipv4Address(first == Ipv4Address.of(address).bits() ? first + 1 : first);
        return gateway.toInetAddress();
    }
}
