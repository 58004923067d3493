package dev.httptap.tls;

import dev.httptap.relay.FlowPeers;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Peers that queue what a handler sends each side, for a test to deliver in its own rounds, and note the
 * handler's ends and resets.
 */
class QueuedPeers implements FlowPeers {
    final Queue<byte[]> toServer = new ArrayDeque<>();
    final Queue<byte[]> toClient = new ArrayDeque<>();
    boolean reset;
    boolean serverEnded;
    boolean clientEnded;

    @Override
    public void sendToServer(ByteBuffer bytes) {
        toServer.add(copy(bytes));
    }

    @Override
    public void sendToClient(ByteBuffer bytes) {
        toClient.add(copy(bytes));
    }

    @Override
    public void endServer() {
        serverEnded = true;
    }

    @Override
    public void endClient() {
        clientEnded = true;
    }

    @Override
    public void reset() {
        reset = true;
    }

    static byte[] copy(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }
}
