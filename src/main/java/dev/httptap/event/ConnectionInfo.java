package dev.httptap.event;

import dev.httptap.stack.FlowId;
import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;

/**
 * The connection an exchange travelled on: the flow as the child saw it, the address actually dialled
 * (after host-alias mapping), and the URL scheme ("http", later "https").
 */
public record ConnectionInfo(FlowId flow, InetSocketAddress upstream, String scheme) {
    /** Where the child was sending to, as "ip:port" or "[v6]:port", for URLs of requests without a Host. */
    public String destination() {
        InetSocketAddress server = flow.server();
        return IpAddress.of(server.getAddress()).withPort(server.getPort());
    }
}
