package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * One host-side datagram socket standing in for one child UDP flow. Replies are read through the loop's
 * scratch buffer and handed to a {@link Receiver}; a few per readiness, so one busy flow cannot starve others.
 */
final class DatagramFlow implements FlowTable.Flow, ChannelHandler {
    /** Told about each datagram that arrives, with the address it came from; the buffer is only lent. */
    @FunctionalInterface
    interface Receiver {
        void onDatagram(DatagramFlow flow, SocketAddress from, ByteBuffer payload);

        /**
         * The connected destination answered a datagram with ICMP port unreachable; {@code sentStart} is the
         * start of the last datagram sent, for the quote of the error passed on.
         */
        default void onRefused(DatagramFlow flow, ByteBuffer sentStart) {}
    }

    private static final int DATAGRAMS_PER_WAKEUP = 16;
    /** How much of the last datagram sent is kept to quote in an ICMP error: the headers are what counts. */
    private static final int QUOTED_BYTES = 64;

    private final FlowId id;
    private final DatagramChannel channel;
    private final SocketAddress connectedTo;
    private final ByteBuffer scratch;
    private final Receiver receiver;
    /** The start of the last datagram sent, made on the first send of a connected flow. */
    private ByteBuffer sentStart;

    private DatagramFlow(FlowId id, DatagramChannel channel, SocketAddress connectedTo, ByteBuffer scratch,
            Receiver receiver) {
        this.id = id;
        this.channel = channel;
        this.connectedTo = connectedTo;
        this.scratch = scratch;
        this.receiver = receiver;
    }

    /** Opens a non-blocking socket registered for reading; {@code connectTo} may be null (unconnected). */
    static DatagramFlow open(FlowId id, SocketAddress connectTo, Selector selector, ByteBuffer scratch,
            Receiver receiver) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.configureBlocking(false);
            if (connectTo != null) {
                channel.connect(connectTo);
            }
            DatagramFlow flow = new DatagramFlow(id, channel, connectTo, scratch, receiver);
            channel.register(selector, SelectionKey.OP_READ, flow);
            return flow;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public FlowId id() {
        return id;
    }

    /** Where the socket is connected, or null. */
    SocketAddress connectedTo() {
        return connectedTo;
    }

    /** Sends one datagram to {@code to} (the connected address, if connected); failures are only logged. */
    void send(ByteBuffer payload, SocketAddress to) {
        if (!payload.hasRemaining() && channel.isConnected()) {
            EmptyDatagram.send(channel, id);
            return;
        }
        if (connectedTo != null) {
            keepStart(payload);
        }
        try {
            channel.send(payload, to);
        } catch (PortUnreachableException e) {
            refused(); // the ICMP error of an earlier datagram, reported by this send
        } catch (IOException e) {
            // E.g. an ICMP port unreachable from an earlier datagram: UDP promises nothing, so carry on.
            Log.verbose("%s: sending a datagram: %s", id, e.getMessage());
        }
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < DATAGRAMS_PER_WAKEUP; i++) {
            scratch.clear();
            SocketAddress from;
            try {
                from = channel.receive(scratch);
            } catch (PortUnreachableException e) {
                refused();
                return;
            } catch (IOException e) {
                Log.verbose("%s: receiving a datagram: %s", id, e.getMessage());
                return;
            }
            if (from == null) {
                return;
            }
            scratch.flip();
            receiver.onDatagram(this, from, scratch);
        }
    }

    private void keepStart(ByteBuffer payload) {
        if (sentStart == null) {
            sentStart = ByteBuffer.allocate(QUOTED_BYTES);
        }
        sentStart.clear().put(payload.slice().limit(Math.min(payload.remaining(), QUOTED_BYTES))).flip();
    }

    private void refused() {
        Log.verbose("%s: port unreachable at %s, passed on", id, connectedTo);
        receiver.onRefused(this, sentStart == null ? ByteBuffer.allocate(0) : sentStart.duplicate());
    }

    @Override
    public void fail(Throwable error) {
        close();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.verbose("%s: closing a datagram socket: %s", id, e.getMessage());
        }
    }
}
