package dev.httptap.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where the child's destinations really are: the host alias is this machine's loopback, the gateway is
 * httptap itself, everything else is dialled as addressed.
 */
final class AddressMap {
    private final InetAddress gateway;
    private final InetAddress hostAlias;
    private final InetAddress loopback = RelayConfig.ipv4(127, 0, 0, 1);

    AddressMap(InetAddress gateway, InetAddress hostAlias) {
        this.gateway = gateway;
        this.hostAlias = hostAlias;
    }

    boolean isGateway(InetSocketAddress destination) {
        return destination.getAddress().equals(gateway);
    }

    /** The address to dial for a destination the child used. */
    InetSocketAddress upstream(InetSocketAddress destination) {
        if (destination.getAddress().equals(hostAlias)) {
            return new InetSocketAddress(loopback, destination.getPort());
        }
        return destination;
    }
}
