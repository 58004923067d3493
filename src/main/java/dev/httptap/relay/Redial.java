package dev.httptap.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** A second dial of a relayed connection's destination, whose answer replaces the splice's server side. */
final class Redial implements ChannelHandler {
    private final TcpRelay relay;
    final Splice splice;
    final SocketChannel socket;
    final InetSocketAddress upstream;
    final ExpiryList.Entry<Redial> timeout = new ExpiryList.Entry<>(this);

    Redial(TcpRelay relay, Splice splice, SocketChannel socket, InetSocketAddress upstream) {
        this.relay = relay;
        this.splice = splice;
        this.socket = socket;
        this.upstream = upstream;
    }

    @Override
    public void onReady(int readyOps) {
        try {
            if (socket.finishConnect()) {
                relay.redialed(this);
            }
        } catch (IOException e) {
            relay.redialFailed(this, e);
        }
    }

    @Override
    public void fail(Throwable error) {
        relay.redialFailed(this, new IOException(error));
    }
}
