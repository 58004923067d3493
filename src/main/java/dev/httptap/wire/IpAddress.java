package dev.httptap.wire;

import java.net.InetAddress;

/** An IP address of either version. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {
    IpVersion version();

    /** The same address as a JDK value (no name lookup). */
    InetAddress toInetAddress();

    /** "address:port", with the IPv6 address in brackets (RFC 5952 section 6). */
    default String withPort(int port) {
        return (version() == IpVersion.V6 ? "[" + this + "]" : toString()) + ":" + port;
    }

    /** The address of a JDK value. */
    static IpAddress of(InetAddress address) {
        return fromBytes(address.getAddress());
    }

    /** The address in network byte order: 4 bytes for IPv4, 16 for IPv6. */
    static IpAddress fromBytes(byte[] bytes) {
        return bytes.length == Ipv6Address.BYTES ? Ipv6Address.fromBytes(bytes) : Ipv4Address.fromBytes(bytes);
    }
}
