package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records the datagrams the relay sends to the child. */
final class RecordingUdpSender implements UdpSender {
    record Sent(FlowId flow, byte[] payload) {}

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void sendUdp(FlowId flow, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        sent.add(new Sent(flow, bytes));
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }
}
