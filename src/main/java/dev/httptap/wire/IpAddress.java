package dev.httptap.wire;

import java.net.InetAddress;

/** An IP address of either version; only IPv4 is implemented so far, IPv6 will be a second record. */
public sealed interface IpAddress permits Ipv4Address {
    IpVersion version();

    /** The same address as a JDK value (no name lookup). */
    InetAddress toInetAddress();

    /** The address of a JDK value, or null when its version is not supported yet. */
    static IpAddress of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return Ipv4Address.fromBytes(bytes);
        }
        return null;
    }
}
