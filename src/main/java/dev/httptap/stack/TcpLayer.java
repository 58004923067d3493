package dev.httptap.stack;

import dev.httptap.log.Log;
import dev.httptap.wire.IcmpPacket;
import dev.httptap.wire.Icmpv6;
import dev.httptap.wire.IpPacket;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.Ipv6Header;
import dev.httptap.wire.MalformedPacketException;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Demultiplexes TCP segments by 4-tuple: to an accepted connection, to a request the forwarder is still
 * deciding, or, for a new SYN, to a new request. Anything else is answered with RST as a host with no such
 * connection would (RFC 9293 section 3.10.7.1).
 */
final class TcpLayer {
    /** ICMPv4 errors quote the IP header and the first eight bytes after it (RFC 792). */
    private static final int QUOTED_TRANSPORT_BYTES = 8;
    /** ICMPv6 errors quote as much as fits in the minimum IPv6 MTU (RFC 4443 section 2.4). */
    private static final int MAX_ICMPV6_QUOTE = Icmpv6.MINIMUM_MTU - Ipv6Header.LENGTH
            - IcmpPacket.HEADER_LENGTH;

    private final StackConfig config;
    private final BufferBudget budget;
    private final Clock clock;
    private final PacketWriter writer;
    private final TimerQueue timers;
    private final Forwarder forwarder;
    private final StackStats.Counters counters;
    private final IntSupplier initialSequences;
    private final Map<ConnectionKey, PendingConnection> pending = new HashMap<>();
    private final Map<ConnectionKey, TcpConnectionImpl> connections = new HashMap<>();
    /** Connections in SYN-RECEIVED: with {@link #pending}, the half-open ones. */
    private int synReceived;
    private boolean toldOfHalfOpenLimit;

    TcpLayer(StackConfig config, BufferBudget budget, Clock clock, PacketWriter writer, TimerQueue timers,
             Forwarder forwarder, StackStats.Counters counters, IntSupplier initialSequences) {
        this.config = config;
        this.budget = budget;
        this.clock = clock;
        this.writer = writer;
        this.timers = timers;
        this.forwarder = forwarder;
        this.counters = counters;
        this.initialSequences = initialSequences;
    }

    /** {@code checksumTrusted}: see {@link NetworkStack#receive(java.nio.ByteBuffer, boolean)}. */
    void receive(IpPacket ip, boolean checksumTrusted) throws MalformedPacketException {
        TcpSegment segment = TcpSegment.parse(ip);
        if (!checksumTrusted) {
            segment.verifyChecksum(ip.pseudoHeaderSum());
        }
        ConnectionKey key = new ConnectionKey(ip.source(), segment.sourcePort(), ip.destination(),
                segment.destinationPort());
        TcpConnectionImpl connection = connections.get(key);
        if (connection != null && connection.yieldsToNewSyn(segment)) {
            connection.endTimeWait();
            connection.deliverEvents();
        } else if (connection != null) {
            connection.onSegment(segment);
            connection.deliverEvents();
            return;
        }
        PendingConnection request = pending.get(key);
        if (request != null) {
            request.onSegment(segment);
            return;
        }
        int flags = segment.flags();
        if ((flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN) {
            offer(ip, segment, key);
        } else if ((flags & TcpFlags.RST) == 0) {
            counters.drop(DropReason.TCP_NO_CONNECTION);
            Log.verbose("tcp %s: %s for no connection, answering RST", key, segment);
            resetUnknown(key, segment);
        } else {
            counters.drop(DropReason.TCP_NO_CONNECTION);
        }
    }

    private void offer(IpPacket ip, TcpSegment segment, ConnectionKey key) {
        if (pending.size() + synReceived >= config.maxHalfOpen()) {
            counters.drop(DropReason.TCP_TOO_MANY_HALF_OPEN);
            if (!toldOfHalfOpenLimit) {
                toldOfHalfOpenLimit = true;
                Log.error("the command has %d connections half-open (a SYN flood?): its new SYNs are dropped "
                        + "until some complete or time out, as a full listen backlog drops them", config.maxHalfOpen());
            }
            return;
        }
        int quoteLength = ip instanceof Ipv4Packet v4
                ? v4.headerLength() + QUOTED_TRANSPORT_BYTES
                : Math.min(ip.totalLength(), MAX_ICMPV6_QUOTE);
        byte[] quote = new byte[quoteLength];
        ip.buffer().get(ip.start(), quote);
        SynRequest syn = new SynRequest(segment.sequence(), segment.window(), segment.options());
        PendingConnection request = new PendingConnection(this, key, syn, quote);
        pending.put(key, request);
        request.startTimeout(clock.nanoTime());
        Log.verbose("tcp %s: SYN, asking the forwarder", key);
        forwarder.onTcpConnectRequest(request);
    }

    /** RST for a segment that matches nothing: its ACK becomes our sequence number, or we ACK it. */
    private void resetUnknown(ConnectionKey key, TcpSegment segment) {
        if (segment.has(TcpFlags.ACK)) {
            sendReset(key, segment.acknowledgment(), 0, TcpFlags.RST);
        } else {
            sendReset(key, 0, segment.sequence() + segment.sequenceLength(), TcpFlags.RST | TcpFlags.ACK);
        }
    }

    /** Sends a bare RST from the connection's server side to its client. */
    void sendReset(ConnectionKey key, int sequence, int acknowledgment, int flags) {
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), sequence, acknowledgment, flags, 0,
                TcpOptions.NONE);
        writer.sendTcp(key.server(), key.client(), header, null, 0, 0);
    }

    /** Completes a pending request: the new connection sends its SYN-ACK. */
    TcpConnectionImpl open(ConnectionKey key, FlowId flow, TcpConnection.Listener listener, SynRequest syn) {
        TcpConnectionImpl connection = new TcpConnectionImpl(this, key, flow, listener, initialSequences.getAsInt(),
                syn);
        connections.put(key, connection);
        synReceived++;
        connection.sendSynAck();
        return connection;
    }

    /** A connection opened by {@link #open} left SYN-RECEIVED (established, or closed). */
    void leftSynReceived() {
        synReceived--;
    }

    void forgetPending(ConnectionKey key) {
        pending.remove(key);
    }

    void release(TcpConnectionImpl connection) {
        connections.remove(connection.key(), connection);
    }

    int openConnections() {
        return connections.size();
    }

    BufferBudget budget() {
        return budget;
    }

    StackConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    PacketWriter writer() {
        return writer;
    }

    TimerQueue timers() {
        return timers;
    }

    StackStats.Counters counters() {
        return counters;
    }
}
