package dev.httptap.stack;

import dev.httptap.wire.IpAddress;
import java.net.InetSocketAddress;

/** The 4-tuple that identifies a TCP connection, from the child's side. */
record ConnectionKey(IpAddress client, int clientPort, IpAddress server, int serverPort) {
    FlowId toFlowId() {
        return new FlowId(new InetSocketAddress(client.toInetAddress(), clientPort),
                new InetSocketAddress(server.toInetAddress(), serverPort));
    }

    // equals and hashCode are written out for start-up's sake: see wire's IpProtocol.

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionKey key && key.clientPort == clientPort && key.serverPort == serverPort
                && key.client.equals(client) && key.server.equals(server);
    }

    @Override
    public int hashCode() {
        return ((client.hashCode() * 31 + clientPort) * 31 + server.hashCode()) * 31 + serverPort;
    }

    @Override
    public String toString() {
        return client.withPort(clientPort) + " -> " + server.withPort(serverPort);
    }
}
