package dev.httptap.sink.har;

import dev.httptap.relay.UpstreamObserver;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long each connection took to open, for the HAR's {@code connect} and {@code ssl} timings: the dial
 * to the server, and the TLS handshake with the child when it was intercepted. The first exchange of a
 * connection {@linkplain #claim claims} them; later ones on the same connection get -1 (HAR's "not
 * applicable"). Connections that never carry an exchange are forgotten once {@value #CAPACITY} newer ones
 * opened.
 */
public final class ConnectionTimings implements UpstreamObserver {
    static final int CAPACITY = 1024;

    /** Millisecond durations, -1 when not applicable. */
    public record Opening(long connectMillis, long sslMillis) {
        static final Opening REUSED = new Opening(-1, -1);

        /** HAR's {@code connect}, which includes the TLS handshake (HAR 1.2, timings). */
        long harConnect() {
            return connectMillis < 0 ? -1 : connectMillis + Math.max(0, sslMillis);
        }
    }

    private final Map<FlowId, Opening> openings = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FlowId, Opening> eldest) {
            return size() > CAPACITY;
        }
    };

    @Override
    public synchronized void onConnected(FlowId flow, InetSocketAddress upstream, long dialStartNanos, long connectedNanos) {
        openings.put(flow, new Opening(millis(connectedNanos - dialStartNanos), -1));
    }

    @Override
    public synchronized void onHandshake(FlowId flow, long startNanos, long doneNanos) {
        Opening opening = openings.get(flow);
        if (opening != null) {
            openings.put(flow, new Opening(opening.connectMillis(), millis(doneNanos - startNanos)));
        }
    }

    /** The connection's opening for its first exchange; {@link Opening#REUSED} for every later one. */
    public synchronized Opening claim(FlowId flow) {
        Opening opening = openings.remove(flow);
        return opening == null ? Opening.REUSED : opening;
    }

    private static long millis(long nanos) {
        return Math.max(0, Math.round(nanos / 1_000_000.0));
    }
}
