package dev.httptap.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 address as its 32 bits, most significant byte first on the wire. */
public record Ipv4Address(int bits) implements IpAddress {
    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF));
    }

    /** The same address as a JDK value's. */
    public static Ipv4Address of(Inet4Address address) {
        return fromBytes(address.getAddress());
    }

    static Ipv4Address fromBytes(byte[] bytes) {
        return of(bytes[0], bytes[1], bytes[2], bytes[3]);
    }

    /** True when both addresses share their first {@code prefixLength} bits (0 to 32). */
    public boolean sameSubnet(Ipv4Address other, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (bits & mask) == (other.bits & mask);
    }

    @Override
    public IpVersion version() {
        return IpVersion.V4;
    }

    @Override
    public Inet4Address toInetAddress() {
        byte[] bytes = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("four bytes are always a valid IPv4 address", impossible);
        }
    }

    // equals and hashCode are written out for start-up's sake: see IpProtocol.

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv4Address address && address.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }
}
