package dev.httptap.stack;

import dev.httptap.log.Log;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * A SYN the forwarder has been told about and has not answered yet. Retransmitted SYNs are absorbed here;
 * an RST from the child withdraws the request, and so does {@link #TIMEOUT_NANOS} without an answer, so
 * a forwarder that never answers leaks nothing. Exactly one answer is allowed.
 */
final class PendingConnection implements TcpConnectRequest {
    /**
     * Longer than the child's own patience (Linux gives up on a SYN after about 127 s) and than the
     * relay's dial timeout, so normally the forwarder answers first; this only bounds the table.
     */
    static final long TIMEOUT_NANOS = 180_000_000_000L;

    private enum Status { WAITING, WITHDRAWN, ANSWERED }

    private final TcpLayer layer;
    private final ConnectionKey key;
    private final FlowId flow;
    private final SynRequest syn;
    /** The start of the SYN packet, quoted by an ICMP error (RFC 792, RFC 4443). */
    private final byte[] quotedSyn;
    private final TimerQueue.Timer timeout = new TimerQueue.Timer(now -> expire());
    private Status status = Status.WAITING;

    PendingConnection(TcpLayer layer, ConnectionKey key, SynRequest syn, byte[] quotedSyn) {
        this.layer = layer;
        this.key = key;
        this.flow = key.toFlowId();
        this.syn = syn;
        this.quotedSyn = quotedSyn;
    }

    @Override
    public FlowId flow() {
        return flow;
    }

    /** Starts the wait for the forwarder's answer. */
    void startTimeout(long now) {
        layer.timers().schedule(timeout, now + TIMEOUT_NANOS);
    }

    /** A segment for this 4-tuple while the forwarder decides. */
    void onSegment(TcpSegment segment) {
        if (segment.has(TcpFlags.RST)) {
            Log.verbose("tcp %s: child reset the connection before it was answered", key);
            withdraw();
        } else if (segment.has(TcpFlags.SYN)) {
            layer.counters().drop(DropReason.TCP_SYN_RETRANSMITTED);
        } else {
            layer.counters().drop(DropReason.TCP_PENDING_NOT_SYN);
        }
    }

    @Override
    public TcpConnection accept(TcpConnection.Listener listener) {
        Status previous = answer();
        if (previous == Status.WITHDRAWN) {
            return TcpConnectionImpl.withdrawn(layer, key, flow, listener);
        }
        return layer.open(key, flow, listener, syn);
    }

    @Override
    public void refuse() {
        if (answer() == Status.WAITING) {
            layer.sendReset(key, 0, syn.sequence() + 1, TcpFlags.RST | TcpFlags.ACK);
        }
    }

    @Override
    public void unreachable() {
        if (answer() == Status.WAITING) {
            layer.writer().sendIcmp(key.server(), key.client(), IcmpMessage.HOST_UNREACHABLE, 0,
                    ByteBuffer.wrap(quotedSyn), 0, quotedSyn.length);
        }
    }

    private void expire() {
        if (status == Status.WAITING) {
            Log.verbose("tcp %s: the forwarder never answered, forgetting the request", key);
            withdraw();
        }
    }

    /** The child no longer waits: a later answer opens a connection that is reset at once, or sends nothing. */
    private void withdraw() {
        status = Status.WITHDRAWN;
        layer.timers().cancel(timeout);
        layer.forgetPending(key);
    }

    private Status answer() {
        Status previous = status;
        if (previous == Status.ANSWERED) {
            throw new IllegalStateException("connection request " + key + " was already answered");
        }
        status = Status.ANSWERED;
        if (previous == Status.WAITING) {
            layer.timers().cancel(timeout);
            layer.forgetPending(key);
        }
        return previous;
    }
}
