package dev.httptap.stack;

import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;

/**
 * The two ends of a TCP connection or UDP flow as the child sees them: {@code client} is the child's own
 * address and port, {@code server} is where the child was sending to.
 */
public record FlowId(InetSocketAddress client, InetSocketAddress server) {
    @Override
    public String toString() {
        return IpAddress.of(client.getAddress()).withPort(client.getPort())
                + " -> " + IpAddress.of(server.getAddress()).withPort(server.getPort());
    }
}
