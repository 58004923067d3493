package dev.httptap.relay;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records what a {@link FlowObserver} is told, for assertions from the test thread. */
final class RecordingObserver implements FlowObserver {
    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final ByteArrayOutputStream server = new ByteArrayOutputStream();
    private final List<String> events = new ArrayList<>();
    private long clientCount;
    private long serverCount;

    @Override
    public synchronized void onClientData(ByteBuffer data) {
        if (!data.isReadOnly()) {
            throw new AssertionError("observer got a writable buffer");
        }
        clientCount += data.remaining();
        copy(data, client);
    }

    @Override
    public synchronized void onServerData(ByteBuffer data) {
        if (!data.isReadOnly()) {
            throw new AssertionError("observer got a writable buffer");
        }
        serverCount += data.remaining();
        copy(data, server);
    }

    @Override
    public synchronized void onClientEnd() {
        events.add("client-end");
    }

    @Override
    public synchronized void onServerEnd() {
        events.add("server-end");
    }

    @Override
    public synchronized void onClose(boolean reset) {
        events.add(reset ? "close-reset" : "close");
    }

    synchronized byte[] clientBytes() {
        return client.toByteArray();
    }

    synchronized byte[] serverBytes() {
        return server.toByteArray();
    }

    synchronized long clientCount() {
        return clientCount;
    }

    synchronized long serverCount() {
        return serverCount;
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    private static void copy(ByteBuffer data, ByteArrayOutputStream to) {
        // Large transfers only count, so that the recorder does not hold whole streams.
        if (to.size() < 1 << 20) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            to.writeBytes(bytes);
        }
    }
}
