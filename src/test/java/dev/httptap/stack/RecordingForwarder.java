package dev.httptap.stack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Remembers connection requests and datagrams; tests answer the requests themselves. */
final class RecordingForwarder implements Forwarder {
    record Datagram(FlowId flow, byte[] payload) {}

    final List<TcpConnectRequest> requests = new ArrayList<>();
    final List<Datagram> datagrams = new ArrayList<>();

    @Override
    public void onTcpConnectRequest(TcpConnectRequest request) {
        requests.add(request);
    }

    @Override
    public void onUdpDatagram(FlowId flow, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        datagrams.add(new Datagram(flow, bytes));
    }
}
