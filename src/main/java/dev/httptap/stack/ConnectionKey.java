package dev.httptap.stack;

import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;

/** The 4-tuple that identifies a TCP connection, from the child's side. */
record ConnectionKey(IpAddress client, int clientPort, IpAddress server, int serverPort) {
    FlowId toFlowId() {
        return new FlowId(new InetSocketAddress(client.toInetAddress(), clientPort),
                new InetSocketAddress(server.toInetAddress(), serverPort));
    }

    @Override
    public String toString() {
        return client.withPort(clientPort) + " -> " + server.withPort(serverPort);
    }
}
