package dev.httptap.relay;

import java.nio.ByteBuffer;

/** The plain relay: every byte and end goes through unchanged, and the observer sees each on the way. */
final class ObservingHandler implements FlowHandler {
    private final FlowObserver observer;
    private final FlowPeers peers;

    ObservingHandler(FlowObserver observer, FlowPeers peers) {
        this.observer = observer;
        this.peers = peers;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        observer.onClientData(data.asReadOnlyBuffer()); // the observer may move its view's position
        peers.sendToServer(data);
    }

    @Override
    public void onServerData(ByteBuffer data) {
        observer.onServerData(data.asReadOnlyBuffer());
        peers.sendToClient(data);
    }

    @Override
    public void onClientEnd() {
        observer.onClientEnd();
        peers.endServer();
    }

    @Override
    public void onServerEnd() {
        observer.onServerEnd();
        peers.endClient();
    }

    @Override
    public void onClose(boolean reset) {
        observer.onClose(reset);
    }
}
