package dev.httptap.tls;

import dev.httptap.relay.FlowPeers;
import java.nio.ByteBuffer;

/**
 * The peers of the connection inside a proxy's CONNECT tunnel: those of the connection to the proxy, but for
 * a {@link #redial}, which there would reach the proxy without the CONNECT, so there is none.
 */
final class TunnelPeers implements FlowPeers {
    private final FlowPeers proxy;

    TunnelPeers(FlowPeers proxy) {
        this.proxy = proxy;
    }

    @Override
    public void sendToServer(ByteBuffer bytes) {
        proxy.sendToServer(bytes);
    }

    @Override
    public void sendToClient(ByteBuffer bytes) {
        proxy.sendToClient(bytes);
    }

    @Override
    public void endServer() {
        proxy.endServer();
    }

    @Override
    public void endClient() {
        proxy.endClient();
    }

    @Override
    public void reset() {
        proxy.reset();
    }
}
