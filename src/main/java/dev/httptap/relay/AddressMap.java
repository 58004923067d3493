package dev.httptap.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where the child's destinations really are: the host alias is this machine's loopback (127.0.0.1, or ::1
 * for the IPv6 alias), the gateway is httptap itself, everything else is dialled as addressed, except the
 * addresses that never leave a host (127.0.0.0/8, ::1, 0.0.0.0, ::): the child's own loopback answers those,
 * so a packet to one on the TUN device was forged (a raw socket), and dialling it would reach this machine's
 * loopback, the whole of it rather than the one address the alias stands for.
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

    /** A destination no network carries, refused instead of dialled on this machine. */
    boolean isHostLocal(InetSocketAddress destination) {
        InetAddress address = destination.getAddress();
        return address.isLoopbackAddress() || address.isAnyLocalAddress();
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
