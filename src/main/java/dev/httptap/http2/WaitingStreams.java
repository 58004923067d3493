package dev.httptap.http2;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.Headers;
import dev.httptap.event.RequestHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams opened while {@link Http2Connection#MAX_OPEN_STREAMS} others were open: kept lean (the request
 * line and, once answered, the status, without header fields) and bounded in count and bytes, from the
 * request until the exchange ends, so that each is still reported. A peer that opens streams without end
 * meets these bounds; the streams beyond them are only counted.
 */
final class WaitingStreams {
    static final int MAX_STREAMS = 16 * 1024;
    static final long MAX_BYTES = 4L * 1024 * 1024;
    /** What one waiting stream costs beyond its strings, roughly. */
    private static final int OVERHEAD_BYTES = 128;
    /** Said once per connection (not per exchange: a flood would print thousands of lines). */
    static final String NOTE = "more than " + Http2Connection.MAX_OPEN_STREAMS
            + " streams open at once: those beyond are reported without their header fields";

    /** A request waiting for room: its line, when it was seen, and what its body did so far. */
    private static final class Waiting {
        final RequestHead head;
        final long epochMillis;
        final long nanos;
        long bodyBytes;
        long requestEndNanos = -1;

        Waiting(RequestHead head, long epochMillis, long nanos) {
            this.head = head;
            this.epochMillis = epochMillis;
            this.nanos = nanos;
        }

        long cost() {
            return OVERHEAD_BYTES + 2L * (head.method().length() + head.target().length());
        }
    }

    private final Map<Integer, Waiting> streams = new HashMap<>();
    /** Lean streams that became exchanges, with what each costs, until they end. */
    private final Map<Integer, Long> followed = new HashMap<>();
    private long bytes;
    private long dropped;

    /** Keeps {@code head} (stripped of its fields) if the bounds allow; false when it is dropped. */
    boolean add(int streamId, RequestHead head, long epochMillis, long nanos) {
        Waiting waiting = new Waiting(new RequestHead(head.method(), head.target(), head.version(),
                Headers.EMPTY), epochMillis, nanos);
        if (streams.size() + followed.size() >= MAX_STREAMS || bytes + waiting.cost() > MAX_BYTES) {
            dropped++;
            return false;
        }
        streams.put(streamId, waiting);
        bytes += waiting.cost();
        return true;
    }

    boolean contains(int streamId) {
        return streams.containsKey(streamId);
    }

    /** Streams waiting for their response. */
    int waiting() {
        return streams.size();
    }

    /** Lean streams whose exchange is followed. */
    int followed() {
        return followed.size();
    }

    /** Whether {@code streamId} is a lean one being followed: its header fields are not kept. */
    boolean isLean(int streamId) {
        return followed.containsKey(streamId);
    }

    /** The exchange of a lean stream ended: its room is free. */
    void ended(int streamId) {
        Long cost = followed.remove(streamId);
        if (cost != null) {
            bytes -= cost;
        }
    }

    /** Streams not reported: opened beyond the bounds. */
    long dropped() {
        return dropped;
    }

    void addBodyBytes(int streamId, long count) {
        Waiting waiting = streams.get(streamId);
        if (waiting != null) {
            waiting.bodyBytes += count;
        }
    }

    void markRequestComplete(int streamId, long nanos) {
        Waiting waiting = streams.get(streamId);
        if (waiting != null && waiting.requestEndNanos < 0) {
            waiting.requestEndNanos = nanos;
        }
    }

    /** The stream as an exchange, followed lean until {@link #ended}; null if it was not waiting. */
    Exchange follow(int streamId, ConnectionInfo connection) {
        Waiting waiting = streams.remove(streamId);
        if (waiting == null) {
            return null;
        }
        followed.put(streamId, waiting.cost());
        Exchange exchange = new Exchange(connection, waiting.head, waiting.epochMillis, waiting.nanos);
        exchange.addRequestBodyBytes(waiting.bodyBytes);
        if (waiting.requestEndNanos >= 0) {
            exchange.markRequestComplete(waiting.requestEndNanos);
        }
        return exchange;
    }

    /** Every waiting stream id (not yet followed), in the order they were opened. */
    List<Integer> ids() {
        List<Integer> ids = new ArrayList<>(streams.keySet());
        ids.sort(null);
        return ids;
    }
}
