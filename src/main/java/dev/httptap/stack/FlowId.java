package dev.httptap.stack;

import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;

/**
 * The two ends of a TCP connection or UDP flow as the child sees them: {@code client} is the child's own
 * address and port, {@code server} is where the child was sending to.
 */
public record FlowId(InetSocketAddress client, InetSocketAddress server) {
    // equals and hashCode are written out for start-up's sake (the first DNS query is a flow table's first
    // key): see wire's IpProtocol.

    @Override
    public boolean equals(Object other) {
        return other instanceof FlowId flow && flow.client.equals(client) && flow.server.equals(server);
    }

    @Override
    public int hashCode() {
        return client.hashCode() * 31 + server.hashCode();
    }

    @Override
    public String toString() {
        return IpAddress.of(client.getAddress()).withPort(client.getPort())
                + " -> " + IpAddress.of(server.getAddress()).withPort(server.getPort());
    }
}
