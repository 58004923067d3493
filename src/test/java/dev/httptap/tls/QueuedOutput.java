package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.function.Consumer;

/** What a test's TLS endpoint produces: its network bytes queued for delivery, a copy of its plaintext handed on. */
final class QueuedOutput implements TlsEndpoint.Output {
    private final Queue<byte[]> network;
    private final Consumer<byte[]> plaintext;

    QueuedOutput(Queue<byte[]> network, Consumer<byte[]> plaintext) {
        this.network = network;
        this.plaintext = plaintext;
    }

    @Override
    public void network(ByteBuffer bytes) {
        network.add(QueuedPeers.copy(bytes));
    }

    @Override
    public void application(ByteBuffer bytes) {
        plaintext.accept(QueuedPeers.copy(bytes));
    }

    @Override
    public void handshakeDone() {}
}
