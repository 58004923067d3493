package dev.httptap.relay;

import dev.httptap.stack.TcpConnectRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** A dial to the real destination for a SYN the stack holds: the child waits until it completes. */
final class PendingConnect implements ChannelHandler {
    private final TcpRelay relay;
    final TcpConnectRequest request;
    final SocketChannel socket;
    final InetSocketAddress upstream;
    /** When the dial began, for the HAR's connect time. */
    final long dialStartNanos;
    /** What the egress policy keeps of the connection. */
    final EgressGate.Admission admission;
    final ExpiryList.Entry<PendingConnect> timeout = new ExpiryList.Entry<>(this);

    PendingConnect(TcpRelay relay, TcpConnectRequest request, SocketChannel socket, InetSocketAddress upstream,
            long dialStartNanos, EgressGate.Admission admission) {
        this.dialStartNanos = dialStartNanos;
        this.admission = admission;
        this.relay = relay;
        this.request = request;
        this.socket = socket;
        this.upstream = upstream;
    }

    @Override
    public void onReady(int readyOps) {
        boolean connected;
        try {
            connected = socket.finishConnect();
        } catch (IOException e) {
            relay.connectFailed(this, e);
            return;
        }
        if (connected) {
            relay.connected(this);
        }
    }

    @Override
    public void fail(Throwable error) {
        relay.connectFailed(this, new IOException(error));
    }
}
