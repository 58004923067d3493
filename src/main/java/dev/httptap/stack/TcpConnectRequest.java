package dev.httptap.stack;

/** A SYN the stack has not answered yet: the forwarder completes or refuses the handshake. */
public interface TcpConnectRequest {
    FlowId flow();

    /** Completes the handshake (SYN-ACK); {@code listener} hears about the connection from then on. */
    TcpConnection accept(TcpConnection.Listener listener);

    /** Answers with RST, as a host with nothing listening does ("connection refused"). */
    void refuse();

    /** Answers with ICMP destination unreachable (host or network), as a router would. */
    void unreachable();
}
