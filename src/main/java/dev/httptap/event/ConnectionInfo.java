package dev.httptap.event;

import dev.httptap.stack.FlowId;

import java.net.InetSocketAddress;

/**
 * The connection an exchange travelled on: the flow as the child saw it, the address actually dialled
 * (after host-alias mapping), and the URL scheme ("http", later "https").
 */
public record ConnectionInfo(FlowId flow, InetSocketAddress upstream, String scheme) {
    /** Where the child was sending to, as "ip:port" ("[v6]:port"), for URLs of requests without a Host. */
    public String destination() {
        InetSocketAddress server = flow.server();
        String host = server.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + server.getPort();
    }
}
