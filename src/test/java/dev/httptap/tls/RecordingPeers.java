package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Peers that note what a handler sends them, and a handler that notes what it is given, as text. */
final class RecordingPeers implements FlowPeers {
    final List<String> events = new ArrayList<>();

    @Override
    public void sendToServer(ByteBuffer bytes) {
        events.add("to server " + StandardCharsets.UTF_8.decode(bytes));
    }

    @Override
    public void sendToClient(ByteBuffer bytes) {
        events.add("to client " + StandardCharsets.UTF_8.decode(bytes));
    }

    @Override
    public void endServer() {
        events.add("end server");
    }

    @Override
    public void endClient() {
        events.add("end client");
    }

    @Override
    public void reset() {
        events.add("reset");
    }

    /** A handler noting each client and server chunk and end in {@code events}. */
    static FlowHandler recordingHandler(List<String> events) {
        return new FlowHandler() {
            @Override
            public void onClientData(ByteBuffer data) {
                events.add("client " + StandardCharsets.ISO_8859_1.decode(data));
            }

            @Override
            public void onServerData(ByteBuffer data) {
                events.add("server " + StandardCharsets.ISO_8859_1.decode(data));
            }

            @Override
            public void onClientEnd() {
                events.add("client end");
            }

            @Override
            public void onServerEnd() {
                events.add("server end");
            }

            @Override
            public void onClose(boolean reset) {}
        };
    }
}
