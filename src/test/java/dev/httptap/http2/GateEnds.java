package dev.httptap.http2;

import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Both ends of a gate under test: the handler it passes bytes on to and the peers it answers through,
 * writing down every byte each side is sent, in order, and every end or reset.
 */
final class GateEnds {
    final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    final List<String> ends = new ArrayList<>();

    /** What the gate passes on: client bytes go to the server, server bytes to the client. */
    final FlowHandler inner = new FlowHandler() {
        @Override
        public void onClientData(ByteBuffer data) {
            toServer.writeBytes(bytesOf(data));
        }

        @Override
        public void onServerData(ByteBuffer data) {
            toClient.writeBytes(bytesOf(data));
        }

        @Override
        public void onClientEnd() {
            ends.add("client end");
        }

        @Override
        public void onServerEnd() {
            ends.add("server end");
        }

        @Override
        public void onClose(boolean reset) {}
    };

    /** What the gate answers through itself: its own frames for the client, and resets. */
    final FlowPeers peers = new FlowPeers() {
        @Override
        public void sendToServer(ByteBuffer bytes) {
            throw new AssertionError("the gate sends to the server through its inner handler");
        }

        @Override
        public void sendToClient(ByteBuffer bytes) {
            toClient.writeBytes(bytesOf(bytes));
        }

        @Override
        public void endServer() {
            ends.add("end server");
        }

        @Override
        public void endClient() {
            ends.add("end client");
        }

        @Override
        public void reset() {
            ends.add("reset");
        }
    };

    private static byte[] bytesOf(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
