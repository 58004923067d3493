package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * A userspace IPv4 TCP/UDP/ICMP stack with no I/O of its own: packets come in through {@link #receive},
 * go out through a {@link PacketOutput}, new flows are offered to a {@link Forwarder}, and time comes
 * from a {@link Clock}. Not thread-safe: one thread drives it.
 */
public final class NetworkStack {
    public NetworkStack(StackConfig config, Clock clock, PacketOutput output, Forwarder forwarder) {
        throw new UnsupportedOperationException("being written");
    }

    /** Handles one IP packet from the child (position to limit); the buffer is not kept. */
    public void receive(ByteBuffer packet) {
        throw new UnsupportedOperationException("being written");
    }

    /** Runs due timers; returns the {@link Clock} time of the next one, or {@code Long.MAX_VALUE}. */
    public long runTimers() {
        throw new UnsupportedOperationException("being written");
    }

    /** Sends a UDP datagram to the child, from {@code flow.server()} to {@code flow.client()}. */
    public void sendUdp(FlowId flow, ByteBuffer payload) {
        throw new UnsupportedOperationException("being written");
    }
}
