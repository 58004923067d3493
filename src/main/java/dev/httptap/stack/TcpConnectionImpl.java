package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.after;

import dev.httptap.log.Log;
import dev.httptap.stack.ConnectionTimers.Deadline;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * One accepted TCP connection, as the server the child thinks it is talking to (RFC 9293). Segments
 * from the child arrive in {@link #onSegment}; the forwarder uses the {@link TcpConnection} methods;
 * timers arrive in {@link #onTimer}. Listener events wait in {@link PendingEvents} until {@link #deliverEvents}.
 * This class keeps the state machine and what each timer's expiry means; {@link ConnectionTimers} keeps the
 * times, {@link SegmentWriter} the options agreed and what every segment carries, {@link TcpSender} and
 * {@link TcpReceiver} the two directions' sequence spaces and queues.
 */
final class TcpConnectionImpl implements TcpConnection {
    private static final int MAX_RETRANSMISSIONS = 8;
    private static final int MAX_SYN_ACK_RETRANSMISSIONS = 5;
    private static final long DELAYED_ACK_NANOS = 10_000_000L;
    /** Twice a maximum segment lifetime of one second: the child is local, nothing lingers longer. */
    static final long TIME_WAIT_NANOS = 2_000_000_000L;
    private static final long MAX_PROBE_INTERVAL_NANOS = 5_000_000_000L;
    /**
     * How long FIN-WAIT-2 may stay silent: the forwarder finished, the child acknowledged, and if the child
     * then neither sends nor closes for this long it is presumed gone (Linux's tcp_fin_timeout is 60 s, but
     * counted from the close, not from the last segment as here, which suits a half-close still in use).
     */
    static final long FIN_WAIT_2_NANOS = 60_000_000_000L;
    /** How long an emptied queue keeps its buffer, so bulk transfers do not reallocate at every drain. */
    static final long IDLE_RELEASE_NANOS = 1_000_000_000L;

    private final TcpLayer layer;
    private final ConnectionKey key;
    private final FlowId flow;
    private final PendingEvents events;
    private final ConnectionTimers timers;
    private final SegmentWriter segmentWriter;
    private final TcpSender sender;
    private final TcpReceiver receiver;
    private TcpState state;
    private final int iss;
    private final int irs;

    private int retransmissions;
    private long probeInterval;

    TcpConnectionImpl(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener, int iss, SynRequest syn) {
        this.layer = layer;
        this.key = key;
        this.flow = flow;
        this.events = new PendingEvents(this, listener);
        this.timers = new ConnectionTimers(layer.timers(), this::onTimer);
        this.segmentWriter = new SegmentWriter(layer, key, syn.options(), iss);
        StackConfig config = layer.config();
        this.irs = syn.sequence();
        this.receiver = new TcpReceiver(config.receiveBufferBytes(), segmentWriter.receiveShift(), irs,
                layer.budget().account(), SegmentWriter.DEFAULT_PEER_MSS);
        this.sender = new TcpSender(config.sendBufferBytes(), layer.budget().account(), this::sendSegment, key, iss,
                irs, syn.window(), segmentWriter.sendShift(), segmentWriter.sendMss());
        this.iss = iss;
        this.state = TcpState.SYN_RECEIVED;
    }

    /** A connection for a request the child withdrew (RST) before the forwarder accepted it. */
    static TcpConnectionImpl withdrawn(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener) {
        TcpConnectionImpl connection = new TcpConnectionImpl(layer, key, flow, listener, 0,
                new SynRequest(0, 0, TcpOptions.NONE));
        connection.state = TcpState.CLOSED;
        connection.events.replaceWithReset();
        connection.timers.deferEvents(layer.clock().nanoTime());
        connection.reschedule();
        return connection;
    }

    ConnectionKey key() {
        return key;
    }

    TcpState state() {
        return state;
    }

    /**
     * Buffer memory held now. Bounded by the two queues' capacities (receive buffer plus one window unit,
     * send buffer: about 1 MiB with the defaults); back to 0 within {@link #IDLE_RELEASE_NANOS} once both
     * queues are empty.
     */
    int bufferedBytes() {
        return receiver.allocated() + sender.allocated();
    }

    // ---------------------------------------------------------------- the forwarder's side

    @Override
    public FlowId flow() {
        return flow;
    }

    @Override
    public int read(ByteBuffer dst) {
        int count = receiver.read(dst);
        if (count > 0 && !receiver.finReceived() && state.receivesData() && receiver.worthWindowUpdate()) {
            sendAck();
            reschedule();
        }
        chargeReceived();
        if (count > 0 && receiver.readable() == 0) {
            scheduleRelease();
        }
        return count;
    }

    @Override
    public int readable() {
        return receiver.readable();
    }

    @Override
    public boolean isInputFinished() {
        return receiver.finReceived() && receiver.readable() == 0;
    }

    @Override
    public int write(ByteBuffer src) {
        if (!acceptsWrites()) {
            return 0;
        }
        int count = sender.write(src);
        if (count > 0) {
            transmit();
            reschedule();
        }
        return count;
    }

    @Override
    public int writable() {
        int free = acceptsWrites() ? sender.room() : 0;
        if (free == 0) {
            sender.waitForRoom();
        }
        return free;
    }

    @Override
    public void cork() {
        sender.cork();
    }

    @Override
    public void uncork() {
        if (sender.uncork() && state.sendsData()) {
            transmit();
            reschedule();
        }
    }

    @Override
    public void shutdownOutput() {
        if (!acceptsWrites()) {
            return;
        }
        sender.queueFin();
        if (state == TcpState.ESTABLISHED) {
            state = TcpState.FIN_WAIT_1;
        } else if (state == TcpState.CLOSE_WAIT) {
            state = TcpState.LAST_ACK;
        }
        transmit();
        reschedule();
    }

    @Override
    public void abort() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.TIME_WAIT) {
            layer.sendReset(key, sender.highestSent(), receiver.next(), TcpFlags.RST | TcpFlags.ACK);
        }
        events.clear();
        close();
    }

    private void chargeReceived() {
        receiver.charge(state == TcpState.CLOSED);
    }

    boolean acceptsWrites() {
        return !sender.finQueued() && (state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED
                || state == TcpState.CLOSE_WAIT);
    }

    // ---------------------------------------------------------------- segments from the child

    void sendSynAck() {
        int window = receiver.windowForSynAck();
        chargeReceived();
        segmentWriter.sendSynAck(iss, receiver.next(), window);
        if (retransmissions == 0) {
            sender.timeSynAck(now());
        }
        timers.setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
        reschedule();
    }

    /**
     * True for a new SYN, above everything received, on a 4-tuple in TIME-WAIT: as in Linux, the old
     * connection gives way so that a quickly reused port does not stall (RFC 6191's idea, by sequence).
     */
    boolean yieldsToNewSyn(TcpSegment segment) {
        return state == TcpState.TIME_WAIT
                && (segment.flags() & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN
                && after(segment.sequence(), receiver.next());
    }

    /** Ends TIME-WAIT early; the connection closed normally. */
    void endTimeWait() {
        events.addClosed();
        close();
    }

    void onSegment(TcpSegment segment) {
        if (state == TcpState.CLOSED) {
            return;
        }
        handleSegment(segment);
        if (state == TcpState.FIN_WAIT_2) {
            timers.setDeadline(Deadline.FIN_WAIT_2_EXPIRY, now() + FIN_WAIT_2_NANOS); // any segment shows life
        }
        reschedule();
    }

    private void handleSegment(TcpSegment segment) {
        int flags = segment.flags();
        int seq = segment.sequence();
        if (state == TcpState.SYN_RECEIVED && (flags & (TcpFlags.SYN | TcpFlags.RST)) == TcpFlags.SYN) {
            if (seq == irs) {
                layer.counters().drop(DropReason.TCP_SYN_RETRANSMITTED);
                sendSynAck();
            }
            return;
        }
        if ((flags & TcpFlags.RST) != 0) {
            onReset(seq);
            return;
        }
        if ((flags & TcpFlags.SYN) != 0) {
            sendAck(); // RFC 5961 section 4: a SYN on a synchronized connection gets a challenge ACK.
            return;
        }
        if (!receiver.isAcceptable(seq, segment.sequenceLength())) {
            layer.counters().drop(DropReason.TCP_UNACCEPTABLE);
            if (state == TcpState.TIME_WAIT && (flags & TcpFlags.FIN) != 0) {
                timers.setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
            }
            sendAck(); // Also the answer to keep-alive probes, which repeat the last byte.
            return;
        }
        if ((flags & TcpFlags.ACK) == 0) {
            layer.counters().drop(DropReason.TCP_NO_ACK);
            return;
        }
        segmentWriter.noteTimestamp(segment, receiver.next());
        if (state == TcpState.SYN_RECEIVED && !establish(segment)) {
            return;
        }
        if (!processAck(segment) || state == TcpState.CLOSED) {
            return;
        }
        boolean ackNow = processData(segment);
        transmit();
        if (ackNow) {
            sendAck();
        } else if (receiver.owesAckNow()) {
            sendAck();
        } else if (receiver.owesAck() && !timers.ackDelayed()) {
            timers.delayAck(now() + DELAYED_ACK_NANOS);
        }
    }

    /** RFC 5961 section 3: only an RST at exactly RCV.NXT resets; one elsewhere in the window is challenged. */
    private void onReset(int seq) {
        if (seq == receiver.next() && state != TcpState.TIME_WAIT) {
            Log.verbose("tcp %s: reset by the child", key);
            events.replaceWithReset();
            close();
            return;
        }
        layer.counters().drop(DropReason.TCP_INVALID_RST);
        if (receiver.deservesChallenge(seq)) {
            sendAck();
        }
    }

    /** The ACK of our SYN-ACK completes the handshake; anything else is answered with RST. */
    private boolean establish(TcpSegment segment) {
        int ack = segment.acknowledgment();
        if (ack != iss + 1) {
            layer.counters().drop(DropReason.TCP_BAD_ACK);
            layer.sendReset(key, ack, 0, TcpFlags.RST);
            return false;
        }
        layer.leftSynReceived();
        state = sender.finQueued() ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
        sender.onHandshakeAck(segment, now());
        retransmissions = 0;
        timers.clearDeadline();
        Log.verbose("tcp %s: established", key);
        return true;
    }

    /** Returns false when the segment must be dropped (it acknowledges data never sent). */
    private boolean processAck(TcpSegment segment) {
        int acked = sender.onAck(segment, now());
        if (acked == TcpSender.UNSENT_ACKED) {
            layer.counters().drop(DropReason.TCP_BAD_ACK);
            sendAck();
            return false;
        }
        if ((acked & TcpSender.NEW_ACK) != 0) {
            retransmissions = 0;
            if ((acked & TcpSender.ALL_ACKED) != 0) {
                timers.clearDeadline();
            } else {
                timers.setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
            }
            if ((acked & TcpSender.QUEUE_EMPTIED) != 0) {
                scheduleRelease();
            }
            if ((acked & TcpSender.ROOM_FOR_WRITER) != 0) {
                events.addWritable();
            }
            if ((acked & TcpSender.FIN_ACKED) != 0) {
                onFinAcknowledged();
            }
        }
        if (sender.windowOpen() && timers.deadline() == Deadline.ZERO_WINDOW_PROBE) {
            timers.clearDeadline();
        }
        return true;
    }

    private void onFinAcknowledged() {
        switch (state) {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                events.addClosed();
                close();
            }
            default -> { }
        }
    }

    /** Takes the segment's data and FIN (see {@link TcpReceiver#take}); true when an ACK must go out at once. */
    private boolean processData(TcpSegment segment) {
        int taken = receiver.take(segment);
        if ((taken & TcpReceiver.REASSEMBLY_FULL) != 0) {
            layer.counters().drop(DropReason.TCP_REASSEMBLY_FULL);
        }
        if ((taken & TcpReceiver.READABLE) != 0) {
            events.addReadable();
        }
        if ((taken & TcpReceiver.FIN) != 0) {
            onFinReceived();
        }
        return (taken & TcpReceiver.ACK_NOW) != 0;
    }

    private void onFinReceived() {
        Log.verbose("tcp %s: child finished sending", key);
        switch (state) {
            case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> state = TcpState.CLOSING;
            case FIN_WAIT_2 -> enterTimeWait();
            default -> { }
        }
    }

    // ---------------------------------------------------------------- segments to the child

    /** Sends what the sender may (see {@link TcpSender#transmit}), keeping the retransmission slot armed. */
    private void transmit() {
        if (!state.sendsData()) {
            return;
        }
        if (sender.transmit(now()) && timers.deadline() != Deadline.RETRANSMIT) {
            timers.setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
        }
        if (sender.awaitsWindow() && timers.deadline() == Deadline.NONE) {
            probeInterval = sender.timeout();
            timers.setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
        }
    }

    private void sendAck() {
        if (state != TcpState.SYN_RECEIVED && state != TcpState.CLOSED) {
            sendSegment(sender.next(), TcpFlags.ACK, 0, 0);
        }
    }

    /** Every segment but the SYN-ACK, the sender's included: each acknowledges everything taken so far. */
    private void sendSegment(int seq, int flags, int dataOffset, int dataLength) {
        int window = receiver.windowForSegment();
        chargeReceived();
        segmentWriter.send(seq, receiver.next(), flags, window, sender.queue(), dataOffset, dataLength);
        timers.ackSent();
    }

    // ---------------------------------------------------------------- timers

    private void onTimer(long now) {
        if (timers.ackDue(now)) {
            timers.ackSent();
            sendAck();
        }
        switch (timers.takeExpiredDeadline(now)) {
            case RETRANSMIT -> onRetransmitTimeout();
            case ZERO_WINDOW_PROBE -> sendZeroWindowProbe();
            case TIME_WAIT_EXPIRY -> {
                events.addClosed();
                close();
            }
            case FIN_WAIT_2_EXPIRY -> giveUp("child silent in FIN-WAIT-2");
            case NONE -> { }
        }
        if (timers.releaseDue(now)) {
            timers.disarmRelease();
            receiver.releaseIfEmpty();
            sender.releaseIfEmpty();
        }
        timers.eventsDelivered(now);
        reschedule();
        deliverEvents();
    }

    private void onRetransmitTimeout() {
        int limit = state == TcpState.SYN_RECEIVED ? MAX_SYN_ACK_RETRANSMISSIONS : MAX_RETRANSMISSIONS;
        if (++retransmissions > limit) {
            giveUp("child stopped answering");
            return;
        }
        sender.backOff();
        if (state == TcpState.SYN_RECEIVED) {
            sendSynAck();
            return;
        }
        sender.goBackN(retransmissions);
        timers.setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
    }

    /** Resets the child and tells the forwarder the connection is gone. */
    private void giveUp(String why) {
        Log.verbose("tcp %s: %s, giving up", key, why);
        layer.sendReset(key, sender.highestSent(), receiver.next(), TcpFlags.RST | TcpFlags.ACK);
        events.replaceWithReset();
        close();
    }

    /** Linux's probe: an ACK one below SND.UNA, which the child must answer with its current window. */
    private void sendZeroWindowProbe() {
        sendSegment(sender.unacknowledged() - 1, TcpFlags.ACK, 0, 0);
        probeInterval = Math.min(probeInterval * 2, MAX_PROBE_INTERVAL_NANOS);
        timers.setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
    }

    private void enterTimeWait() {
        state = TcpState.TIME_WAIT;
        timers.setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
    }

    /** Arms the release of emptied buffers, unless already armed (so a busy connection rarely touches it). */
    private void scheduleRelease() {
        if (!timers.releaseArmed() && state != TcpState.CLOSED) {
            timers.armRelease(now() + IDLE_RELEASE_NANOS);
            reschedule();
        }
    }

    private void reschedule() {
        timers.reschedule(state == TcpState.CLOSED);
    }

    private long now() {
        return layer.clock().nanoTime();
    }

    // ---------------------------------------------------------------- lifecycle and events

    /** Leaves the connection table; the queues stay readable for the forwarder. */
    private void close() {
        if (state == TcpState.SYN_RECEIVED) {
            layer.leftSynReceived();
        }
        state = TcpState.CLOSED;
        receiver.charge(true);
        sender.releaseBudget();
        timers.cancel();
        layer.release(this);
    }

    /** Calls the listener for what happened since the last delivery. */
    void deliverEvents() {
        events.deliver();
    }

    @Override
    public String toString() {
        return key + " " + state;
    }
}
