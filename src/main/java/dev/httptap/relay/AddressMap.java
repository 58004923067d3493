package dev.httptap.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where the child's destinations really are: the host alias is this machine's loopback (127.0.0.1, or ::1
 * for the IPv6 alias), the gateway is httptap itself, everything else is dialled as addressed.
 */
final class AddressMap {
    private final InetAddress gateway;
    private final InetAddress hostAlias;
    private final InetAddress loopback = RelayConfig.ipv4(127, 0, 0, 1);
    private final InetAddress ipv6Loopback = RelayConfig.ipv6Loopback();
    private final RelayConfig.Ipv6 ipv6;

    AddressMap(InetAddress gateway, InetAddress hostAlias) {
        this(gateway, hostAlias, null);
    }

    /** {@code ipv6} may be null: the child has no IPv6. */
    AddressMap(InetAddress gateway, InetAddress hostAlias, RelayConfig.Ipv6 ipv6) {
        this.gateway = gateway;
        this.hostAlias = hostAlias;
        this.ipv6 = ipv6;
    }

    boolean isGateway(InetSocketAddress destination) {
        InetAddress address = destination.getAddress();
        return address.equals(gateway) || ipv6 != null && address.equals(ipv6.gateway());
    }

    /** The address to dial for a destination the child used. */
    InetSocketAddress upstream(InetSocketAddress destination) {
        InetAddress address = destination.getAddress();
        if (address.equals(hostAlias)) {
            return new InetSocketAddress(loopback, destination.getPort());
        }
        if (ipv6 != null && address.equals(ipv6.hostAlias())) {
            return new InetSocketAddress(ipv6Loopback, destination.getPort());
        }
        return destination;
    }
}
