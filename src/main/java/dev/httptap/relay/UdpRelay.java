package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.Clock;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;

/**
 * Generic UDP: each child flow gets its own socket connected to the real destination (the host alias
 * mapped), and whatever comes back is sent to the child from that destination. Loop thread only.
 *
 * <p>QUIC (UDP to port {@value #QUIC_PORT}) is refused with ICMP port unreachable unless allowed: httptap
 * shows HTTP it can read, and every QUIC client falls back to TCP at once when its socket sees ECONNREFUSED.
 * A real destination that answers with port unreachable is passed on the same way, so the child's connected
 * socket gets ECONNREFUSED as it would without httptap.
 */
final class UdpRelay {
    static final int QUIC_PORT = 443;

    private final Selector selector;
    private final Clock clock;
    private final AddressMap addresses;
    private final UdpSender child;
    private final UdpRefuser refuser;
    private final boolean allowQuic;
    private final ByteBuffer scratch;
    private final FlowTable<DatagramFlow> flows;
    private final DatagramFlow.Receiver replies = new DatagramFlow.Receiver() {
        @Override
        public void onDatagram(DatagramFlow flow, SocketAddress from, ByteBuffer payload) {
            onReply(flow, payload);
        }

        @Override
        public void onRefused(DatagramFlow flow, ByteBuffer sentStart) {
            refuser.refuse(flow.id(), sentStart);
        }
    };

    UdpRelay(Selector selector, Clock clock, AddressMap addresses, UdpSender child, UdpRefuser refuser,
            boolean allowQuic, ByteBuffer scratch, int maxFlows, long idleNanos) {
        this.selector = selector;
        this.clock = clock;
        this.addresses = addresses;
        this.child = child;
        this.refuser = refuser;
        this.allowQuic = allowQuic;
        this.scratch = scratch;
        this.flows = new FlowTable<>(maxFlows, idleNanos);
    }

    /** Sends the child's datagram on its flow's socket, opening one for a new flow. */
    void send(FlowId id, ByteBuffer payload) {
        if (!allowQuic && id.server().getPort() == QUIC_PORT) {
            Log.verbose("%s: refusing QUIC so the client falls back to TCP (--allow-quic lets it through)", id);
            refuser.refuse(id, payload);
            return;
        }
        long now = clock.nanoTime();
        DatagramFlow flow = flows.get(id);
        if (flow == null) {
            try {
                flow = DatagramFlow.open(id, addresses.upstream(id.server()), selector, scratch, replies);
            } catch (IOException e) {
                Log.verbose("%s: cannot open a UDP socket: %s", id, e.getMessage());
                return;
            }
            flows.add(flow, now);
        } else {
            flows.touch(flow, now);
        }
        flow.send(payload, flow.connectedTo());
    }

    long expire(long now) {
        return flows.expire(now);
    }

    void closeAll() {
        flows.closeAll();
    }

    int flowCount() {
        return flows.size();
    }

    private void onReply(DatagramFlow flow, ByteBuffer payload) {
        flows.touch(flow, clock.nanoTime());
        child.sendUdp(flow.id(), payload);
    }
}
