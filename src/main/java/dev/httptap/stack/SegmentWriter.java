package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.beforeOrEqual;

import dev.httptap.wire.IpVersion;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;

/**
 * One connection's segments to the child, and what its SYN agreed for them: window scaling and timestamps
 * (RFC 7323), each only if the child offered it, and the MSS each way. Every segment carries the ports, and
 * with timestamps our clock and the child's latest value; which sequence numbers, flags and window it
 * carries is the connection's to say.
 */
final class SegmentWriter {
    static final int DEFAULT_PEER_MSS = 536;
    /** Linux's floor (tcp_min_snd_mss is 48): an absurdly small MSS option must not stall sending. */
    private static final int MIN_SEND_MSS = 48;
    private static final int TIMESTAMPS_SPACE = 12;

    private final TcpLayer layer;
    private final ConnectionKey key;
    /** Window scaling is on only if the child offered it (RFC 7323 section 2.2). */
    private final boolean windowScaling;
    private final int sendShift;
    private final int receiveShift;
    private final int sendMss;

    // Timestamps (RFC 7323).
    private final boolean timestamps;
    private final int timestampOffset;
    private int tsRecent;

    /** {@code offered}: the options of the child's SYN; {@code iss}: our initial sequence number. */
    SegmentWriter(TcpLayer layer, ConnectionKey key, TcpOptions offered, int iss) {
        this.layer = layer;
        this.key = key;
        StackConfig config = layer.config();
        this.windowScaling = offered.windowScale() != TcpOptions.NO_WINDOW_SCALE;
        this.sendShift = windowScaling ? Math.min(offered.windowScale(), TcpOptions.MAX_WINDOW_SCALE) : 0;
        this.receiveShift = windowScaling ? ReceiveWindow.shiftFor(config.receiveBufferBytes()) : 0;
        this.timestamps = offered.timestamps();
        this.tsRecent = offered.timestampValue();
        this.timestampOffset = iss;
        // An MSS of 0 is taken as no MSS, as Linux does.
        int peerMss = offered.mss() > 0 ? offered.mss() : DEFAULT_PEER_MSS;
        int optionSpace = timestamps ? TIMESTAMPS_SPACE : 0;
        int ourMss = ourMss(config, key.server().version());
        this.sendMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, ourMss) - optionSpace);
    }

    static int ourMss(StackConfig config, IpVersion version) {
        return config.mtu() - version.headerLength() - TcpSegment.MIN_HEADER_LENGTH;
    }

    /** The child's window scale: 0 without scaling. */
    int sendShift() {
        return sendShift;
    }

    /** The window scale we announce: 0 without scaling. */
    int receiveShift() {
        return receiveShift;
    }

    /** The largest payload of a segment to the child. */
    int sendMss() {
        return sendMss;
    }

    /** Our SYN-ACK with the options agreed; its {@code window} is never scaled (RFC 7323 section 2.2). */
    void sendSynAck(int iss, int ack, int window) {
        TcpOptions options = new TcpOptions(ourMss(layer.config(), key.server().version()),
                windowScaling ? receiveShift : TcpOptions.NO_WINDOW_SCALE, false, timestamps, timestampNow(),
                tsRecent);
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), iss, ack, TcpFlags.SYN | TcpFlags.ACK,
                window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, null, 0, 0);
    }

    /** A segment with {@code dataLength} bytes of {@code queue} from {@code dataOffset} past SND.UNA. */
    void send(int seq, int ack, int flags, int window, SendQueue queue, int dataOffset, int dataLength) {
        TcpOptions options = timestamps ? TcpOptions.timestamps(timestampNow(), tsRecent) : TcpOptions.NONE;
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), seq, ack, flags, window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, queue, dataOffset, dataLength);
    }

    /** Keeps the child's timestamp to echo, from an acceptable segment that does not start beyond RCV.NXT. */
    void noteTimestamp(TcpSegment segment, int rcvNxt) {
        if (timestamps && segment.options().timestamps() && beforeOrEqual(segment.sequence(), rcvNxt)) {
            tsRecent = segment.options().timestampValue();
        }
    }

    private int timestampNow() {
        return (int) (layer.clock().nanoTime() / 1_000_000L) + timestampOffset;
    }
}
