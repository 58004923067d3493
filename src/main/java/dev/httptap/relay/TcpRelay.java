package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.Clock;
import dev.httptap.stack.TcpConnectRequest;
import dev.httptap.stack.TcpConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The TCP half of the relay: dials the real destination for each SYN, answers the stack the way that
 * destination answered (accept, refused, unreachable), and splices accepted connections. Loop thread only.
 */
final class TcpRelay {
    private final Selector selector;
    private final Clock clock;
    private final FlowHandlerFactory handlers;
    private final UpstreamObserver upstreams;
    private final EgressGate egress;
    private final ByteBuffer scratch;
    private final BufferBudget budget;
    private final ExpiryList<PendingConnect> connectTimeouts;
    private final ExpiryList<Redial> redialTimeouts;
    private final Set<Splice> splices = new HashSet<>();

    /** {@code scratch}: the loop's shared buffer of {@link Splice#SERVER_READ_BYTES}, lent to each splice. */
    TcpRelay(Selector selector, Clock clock, ByteBuffer scratch, BufferBudget budget, long connectTimeoutNanos,
            FlowHandlerFactory handlers, UpstreamObserver upstreams, EgressGate egress) {
        this.selector = selector;
        this.egress = egress;
        this.budget = budget;
        this.upstreams = upstreams;
        this.scratch = scratch;
        this.clock = clock;
        this.handlers = handlers;
        this.connectTimeouts = new ExpiryList<>(connectTimeoutNanos, this::connectTimedOut);
        this.redialTimeouts = new ExpiryList<>(connectTimeoutNanos,
                redial -> redialFailed(redial, new IOException("timed out")));
    }

    /**
     * Dials {@code upstream} for the child's SYN, which {@code admission} let through; the request is
     * answered once the dial completes.
     */
    void connect(TcpConnectRequest request, InetSocketAddress upstream, EgressGate.Admission admission) {
        SocketChannel socket = null;
        try {
            socket = openSocket();
            PendingConnect pending = new PendingConnect(this, request, socket, upstream, clock.nanoTime(), admission);
            if (socket.connect(upstream)) {
                socket.register(selector, 0, pending);
                connected(pending);
            } else {
                socket.register(selector, SelectionKey.OP_CONNECT, pending);
                connectTimeouts.touch(pending.timeout, clock.nanoTime());
            }
        } catch (IOException e) {
            closeQuietly(socket);
            answerFailure(request, upstream, e);
        }
    }

    /**
     * Dials {@code upstream}, already admitted for {@code splice}'s connection, again: the answer comes from
     * the loop even when the dial completes at once, as the splice is inside a call of its handler.
     */
    private void redial(Splice splice, InetSocketAddress upstream) {
        SocketChannel socket = null;
        try {
            socket = openSocket();
            Redial redial = new Redial(this, splice, socket, upstream);
            // A connected socket is writable at once: the loop answers on its next round.
            socket.register(selector, socket.connect(upstream) ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, redial);
            redialTimeouts.touch(redial.timeout, clock.nanoTime());
        } catch (IOException e) {
            closeQuietly(socket);
            Log.verbose("cannot dial %s again: %s", upstream, e.getMessage());
            splice.reset();
        }
    }

    void redialed(Redial redial) {
        redialTimeouts.remove(redial.timeout);
        if (redial.splice.isClosed()) {
            closeQuietly(redial.socket); // the child left while the server was dialled
            return;
        }
        SelectionKey key = redial.socket.keyFor(selector);
        key.interestOps(0);
        redial.splice.redialed(redial.socket, key);
    }

    void redialFailed(Redial redial, IOException error) {
        redialTimeouts.remove(redial.timeout);
        closeQuietly(redial.socket);
        Log.verbose("cannot dial %s again, resetting the connection: %s", redial.upstream, error.getMessage());
        redial.splice.reset();
    }

    private static SocketChannel openSocket() throws IOException {
        SocketChannel socket = SocketChannel.open();
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Times out dials that took too long; returns the next deadline. */
    long expire(long now) {
        return Math.min(connectTimeouts.expire(now), redialTimeouts.expire(now));
    }

    /** Connections being relayed now. */
    int spliceCount() {
        return splices.size();
    }

    /** Dials still waiting for an answer. */
    int pendingCount() {
        return connectTimeouts.size();
    }

    /** Ends everything because httptap is stopping: the child and the servers see resets. */
    void closeAll() {
        connectTimeouts.drain(pending -> {
            closeQuietly(pending.socket);
            pending.request.refuse();
        });
        redialTimeouts.drain(redial -> closeQuietly(redial.socket));
        for (Splice splice : new ArrayList<>(splices)) {
            splice.abort();
        }
    }

    void connected(PendingConnect pending) {
        connectTimeouts.remove(pending.timeout);
        SelectionKey key = pending.socket.keyFor(selector);
        Splice splice = new Splice(pending.socket, key, scratch, budget, splices::remove,
                again -> redial(again, pending.upstream));
        splices.add(splice);
        TcpConnection connection = pending.request.accept(splice);
        Log.verbose("%s: connected to %s", connection.flow(), pending.upstream);
        report(() -> upstreams.onConnected(connection.flow(), pending.upstream, pending.dialStartNanos, clock.nanoTime()));
        splice.start(connection, egress.watch(connection.flow(), pending.admission,
                openHandler(connection, pending.upstream, splice)));
    }

    /** A factory that throws leaves the connection relayed unchanged and unobserved. */
    private FlowHandler openHandler(TcpConnection connection, InetSocketAddress upstream, FlowPeers peers) {
        try {
            return handlers.open(connection.flow(), upstream, peers);
        } catch (RuntimeException e) {
            Log.error("%s: handler could not start, relaying without it: %s", connection.flow(), e);
            return FlowHandler.observing(FlowObserver.NONE, peers);
        }
    }

    void connectFailed(PendingConnect pending, IOException error) {
        connectTimeouts.remove(pending.timeout);
        closeQuietly(pending.socket);
        answerFailure(pending.request, pending.upstream, error);
    }

    private void connectTimedOut(PendingConnect pending) {
        closeQuietly(pending.socket);
        Log.verbose("%s: no answer from %s, telling the child it is unreachable", pending.request.flow(), pending.upstream);
        pending.request.unreachable();
        report(() -> upstreams.onConnectFailed(pending.request.flow(), pending.upstream, "timed out"));
    }

    /** Refused dials become RST, as a host with nothing listening answers; every other failure ICMP. */
    private void answerFailure(TcpConnectRequest request, InetSocketAddress upstream, IOException error) {
        Log.verbose("%s: cannot connect to %s: %s", request.flow(), upstream, error.getMessage());
        if (isRefused(error)) {
            request.refuse();
        } else {
            request.unreachable();
        }
        report(() -> upstreams.onConnectFailed(request.flow(), upstream, reason(error)));
    }

    /** The error as the user reads it: "connection refused", "no route to host". */
    private static String reason(IOException error) {
        String message = error.getMessage();
        if (message == null || message.isEmpty()) {
            return error.getClass().getSimpleName();
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** An observer that throws must not stop the relay: it is noted and the relay carries on. */
    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            Log.error("upstream observer failed: %s", e);
        }
    }

    private static boolean isRefused(IOException error) {
        return error instanceof ConnectException
                && error.getMessage() != null
                && error.getMessage().contains("refused");
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            Log.verbose("closing a socket: %s", e.getMessage());
        }
    }
}
