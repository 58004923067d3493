package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.after;
import static dev.httptap.stack.SeqNum.beforeOrEqual;
import static dev.httptap.stack.TimerQueue.NEVER;

import dev.httptap.log.Log;
import dev.httptap.wire.IpVersion;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * One accepted TCP connection, as the server the child thinks it is talking to (RFC 9293). Segments
 * from the child arrive in {@link #onSegment}; the forwarder uses the {@link TcpConnection} methods;
 * timers arrive in {@link #onTimer}. Listener events are collected while the state changes and delivered
 * afterwards by {@link #deliverEvents}, so a listener always sees a consistent connection. This class keeps
 * the state machine, the timers and the segments' shared fields; {@link TcpSender} and {@link TcpReceiver}
 * keep the two directions' sequence spaces and queues.
 */
final class TcpConnectionImpl implements TcpConnection {
    private static final int MAX_RETRANSMISSIONS = 8;
    private static final int MAX_SYN_ACK_RETRANSMISSIONS = 5;
    private static final int DEFAULT_PEER_MSS = 536;
    /** Linux's floor (tcp_min_snd_mss is 48): an absurdly small MSS option must not stall sending. */
    private static final int MIN_SEND_MSS = 48;
    private static final int TIMESTAMPS_SPACE = 12;
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

    /** What the single retransmission-slot deadline means in the current state. */
    private enum Deadline { NONE, RETRANSMIT, ZERO_WINDOW_PROBE, TIME_WAIT_EXPIRY, FIN_WAIT_2_EXPIRY }

    private final TcpLayer layer;
    private final ConnectionKey key;
    private final FlowId flow;
    private final Listener listener;
    private final TimerQueue.Timer timer = new TimerQueue.Timer(this::onTimer);
    private final TcpSender sender;
    private final TcpReceiver receiver;
    private TcpState state;
    private final int iss;
    private final int irs;
    /** Window scaling is on only if the child offered it (RFC 7323 section 2.2). */
    private final boolean windowScaling;

    // Timestamps (RFC 7323).
    private final boolean timestamps;
    private final int timestampOffset;
    private int tsRecent;

    // Timers: one slot for retransmission/probe/TIME-WAIT/FIN-WAIT-2, one for the delayed ACK, one for
    // releasing emptied buffers, one for deferred events.
    private Deadline deadlineKind = Deadline.NONE;
    private long deadlineAt = NEVER;
    private long ackAt = NEVER;
    private long releaseAt = NEVER;
    private long eventsAt = NEVER;
    private int retransmissions;
    private long probeInterval;

    // Listener events waiting for delivery.
    private boolean readablePending;
    private boolean writablePending;
    private boolean resetPending;
    private boolean closedPending;

    TcpConnectionImpl(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener, int iss, SynRequest syn) {
        this.layer = layer;
        this.key = key;
        this.flow = flow;
        this.listener = listener;
        StackConfig config = layer.config();
        TcpOptions offered = syn.options();
        this.windowScaling = offered.windowScale() != TcpOptions.NO_WINDOW_SCALE;
        int sndShift = windowScaling ? Math.min(offered.windowScale(), TcpOptions.MAX_WINDOW_SCALE) : 0;
        this.timestamps = offered.timestamps();
        this.tsRecent = offered.timestampValue();
        this.timestampOffset = iss;
        // An MSS of 0 is taken as no MSS, as Linux does.
        int peerMss = offered.mss() > 0 ? offered.mss() : DEFAULT_PEER_MSS;
        int optionSpace = timestamps ? TIMESTAMPS_SPACE : 0;
        int ourMss = ourMss(config, key.server().version());
        int sendMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, ourMss) - optionSpace);
        this.irs = syn.sequence();
        int rcvShift = windowScaling ? ReceiveWindow.shiftFor(config.receiveBufferBytes()) : 0;
        this.receiver = new TcpReceiver(config.receiveBufferBytes(), rcvShift, irs, layer.budget().account(),
                DEFAULT_PEER_MSS);
        this.sender = new TcpSender(config.sendBufferBytes(), layer.budget().account(), this::sendSegment, key, iss,
                irs, syn.window(), sndShift, sendMss);
        this.iss = iss;
        this.state = TcpState.SYN_RECEIVED;
    }

    /** A connection for a request the child withdrew (RST) before the forwarder accepted it. */
    static TcpConnectionImpl withdrawn(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener) {
        TcpConnectionImpl connection = new TcpConnectionImpl(layer, key, flow, listener, 0,
                new SynRequest(0, 0, TcpOptions.NONE));
        connection.state = TcpState.CLOSED;
        connection.resetPending = true;
        connection.eventsAt = layer.clock().nanoTime();
        connection.reschedule();
        return connection;
    }

    static int ourMss(StackConfig config, IpVersion version) {
        return config.mtu() - version.headerLength() - TcpSegment.MIN_HEADER_LENGTH;
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
        readablePending = writablePending = resetPending = closedPending = false;
        close();
    }

    private void chargeReceived() {
        receiver.charge(state == TcpState.CLOSED);
    }

    private boolean acceptsWrites() {
        return !sender.finQueued() && (state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED
                || state == TcpState.CLOSE_WAIT);
    }

    // ---------------------------------------------------------------- segments from the child

    void sendSynAck() {
        TcpOptions options = new TcpOptions(ourMss(layer.config(), key.server().version()),
                windowScaling ? receiver.shift() : TcpOptions.NO_WINDOW_SCALE, false, timestamps, timestampNow(),
                tsRecent);
        int window = receiver.windowForSynAck();
        chargeReceived();
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), iss, receiver.next(),
                TcpFlags.SYN | TcpFlags.ACK, window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, null, 0, 0);
        if (retransmissions == 0) {
            sender.timeSynAck(now());
        }
        setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
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
        closedPending = true;
        close();
    }

    void onSegment(TcpSegment segment) {
        if (state == TcpState.CLOSED) {
            return;
        }
        handleSegment(segment);
        if (state == TcpState.FIN_WAIT_2) {
            setDeadline(Deadline.FIN_WAIT_2_EXPIRY, now() + FIN_WAIT_2_NANOS); // any segment shows life
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
                setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
            }
            sendAck(); // Also the answer to keep-alive probes, which repeat the last byte.
            return;
        }
        if ((flags & TcpFlags.ACK) == 0) {
            layer.counters().drop(DropReason.TCP_NO_ACK);
            return;
        }
        if (timestamps && segment.options().timestamps() && beforeOrEqual(seq, receiver.next())) {
            tsRecent = segment.options().timestampValue();
        }
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
        } else if (receiver.owesAck() && ackAt == NEVER) {
            ackAt = now() + DELAYED_ACK_NANOS;
        }
    }

    /** RFC 5961 section 3: only an RST at exactly RCV.NXT resets; one elsewhere in the window is challenged. */
    private void onReset(int seq) {
        if (seq == receiver.next() && state != TcpState.TIME_WAIT) {
            Log.verbose("tcp %s: reset by the child", key);
            readablePending = writablePending = closedPending = false;
            resetPending = true;
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
        clearDeadline();
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
                clearDeadline();
            } else {
                setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
            }
            if ((acked & TcpSender.QUEUE_EMPTIED) != 0) {
                scheduleRelease();
            }
            if ((acked & TcpSender.ROOM_FOR_WRITER) != 0) {
                writablePending = true;
            }
            if ((acked & TcpSender.FIN_ACKED) != 0) {
                onFinAcknowledged();
            }
        }
        if (sender.windowOpen() && deadlineKind == Deadline.ZERO_WINDOW_PROBE) {
            clearDeadline();
        }
        return true;
    }

    private void onFinAcknowledged() {
        switch (state) {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                closedPending = true;
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
            readablePending = true;
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
        if (sender.transmit(now()) && deadlineKind != Deadline.RETRANSMIT) {
            setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
        }
        if (sender.awaitsWindow() && deadlineKind == Deadline.NONE) {
            probeInterval = sender.timeout();
            setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
        }
    }

    private void sendAck() {
        if (state != TcpState.SYN_RECEIVED && state != TcpState.CLOSED) {
            sendSegment(sender.next(), TcpFlags.ACK, 0, 0);
        }
    }

    private void sendSegment(int seq, int flags, int dataOffset, int dataLength) {
        TcpOptions options = timestamps ? TcpOptions.timestamps(timestampNow(), tsRecent) : TcpOptions.NONE;
        int window = receiver.windowForSegment();
        chargeReceived();
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), seq, receiver.next(), flags, window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, sender.queue(), dataOffset, dataLength);
        ackAt = NEVER;
    }

    // ---------------------------------------------------------------- timers

    private void onTimer(long now) {
        if (ackAt <= now) {
            ackAt = NEVER;
            sendAck();
        }
        if (deadlineAt <= now) {
            Deadline expired = deadlineKind;
            clearDeadline();
            switch (expired) {
                case RETRANSMIT -> onRetransmitTimeout();
                case ZERO_WINDOW_PROBE -> sendZeroWindowProbe();
                case TIME_WAIT_EXPIRY -> {
                    closedPending = true;
                    close();
                }
                case FIN_WAIT_2_EXPIRY -> giveUp("child silent in FIN-WAIT-2");
                case NONE -> { }
            }
        }
        if (releaseAt <= now) {
            releaseAt = NEVER;
            receiver.releaseIfEmpty();
            sender.releaseIfEmpty();
        }
        if (eventsAt <= now) {
            eventsAt = NEVER;
        }
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
        setDeadline(Deadline.RETRANSMIT, now() + sender.timeout());
    }

    /** Resets the child and tells the forwarder the connection is gone. */
    private void giveUp(String why) {
        Log.verbose("tcp %s: %s, giving up", key, why);
        layer.sendReset(key, sender.highestSent(), receiver.next(), TcpFlags.RST | TcpFlags.ACK);
        readablePending = writablePending = closedPending = false;
        resetPending = true;
        close();
    }

    /** Linux's probe: an ACK one below SND.UNA, which the child must answer with its current window. */
    private void sendZeroWindowProbe() {
        sendSegment(sender.unacknowledged() - 1, TcpFlags.ACK, 0, 0);
        probeInterval = Math.min(probeInterval * 2, MAX_PROBE_INTERVAL_NANOS);
        setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
    }

    private void enterTimeWait() {
        state = TcpState.TIME_WAIT;
        setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
    }

    /** Arms the release of emptied buffers, unless already armed (so a busy connection rarely touches it). */
    private void scheduleRelease() {
        if (releaseAt == NEVER && state != TcpState.CLOSED) {
            releaseAt = now() + IDLE_RELEASE_NANOS;
            reschedule();
        }
    }

    private void setDeadline(Deadline kind, long at) {
        deadlineKind = kind;
        deadlineAt = at;
    }

    private void clearDeadline() {
        deadlineKind = Deadline.NONE;
        deadlineAt = NEVER;
    }

    private void reschedule() {
        long next = Math.min(Math.min(deadlineAt, ackAt), Math.min(releaseAt, eventsAt));
        if (state == TcpState.CLOSED) {
            next = eventsAt;
        }
        layer.timers().schedule(timer, next);
    }

    private long now() {
        return layer.clock().nanoTime();
    }

    private int timestampNow() {
        return (int) (now() / 1_000_000L) + timestampOffset;
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
        clearDeadline();
        ackAt = NEVER;
        releaseAt = NEVER;
        layer.timers().cancel(timer);
        layer.release(this);
    }

    /** Calls the listener for what happened since the last delivery. */
    void deliverEvents() {
        if (resetPending) {
            resetPending = false;
            listener.onReset(this);
            return;
        }
        if (readablePending) {
            readablePending = false;
            listener.onReadable(this);
        }
        if (writablePending && acceptsWrites()) {
            writablePending = false;
            listener.onWritable(this);
        }
        if (closedPending) {
            closedPending = false;
            listener.onClosed(this);
        }
    }

    @Override
    public String toString() {
        return key + " " + state;
    }
}
