package dev.httptap.http2;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RequestHead;
import dev.httptap.event.RequestUrl;
import dev.httptap.event.ResponseHead;
import dev.httptap.log.Log;
import dev.httptap.relay.FlowObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Watches one connection as HTTP/2 (RFC 9113) and reports each stream as an {@link Exchange}: the request
 * from the client's HEADERS (or the server's PUSH_PROMISE, for a pushed response), the response from the
 * server's HEADERS, body bytes from DATA, trailers from a closing HEADERS. The frames pass through the relay
 * unchanged; this only reads them. Bytes that are not HTTP/2 end the watching: the open exchanges are
 * reported as not followed, with the reason, and nothing here ever throws to the relay. Streams that the
 * bounds leave unreported are said so in a line ({@code onNotFollowed}) when it first happens and at the end.
 */
public final class Http2Connection implements FlowObserver {
    /**
     * Streams followed in full at once (memory stays bounded); real peers allow ~100. Streams opened beyond
     * this are followed lean, within the bounds of {@link WaitingStreams}; past those they are counted.
     */
    static final int MAX_OPEN_STREAMS = 1024;
    /**
     * Streams the client resets before their response, shown one by one up to this many per connection; the
     * rest are counted in a line (an HTTP/2 "rapid reset" flood would otherwise print two lines per stream).
     */
    static final int SHOWN_CLIENT_RESETS = 100;
    static final String VERSION = "HTTP/2";

    public enum State {
        /** Following the frames. */
        WATCHING,
        /** The bytes stopped making sense as HTTP/2. */
        NOT_HTTP2,
        /** The connection is over. */
        CLOSED
    }

    private final ConnectionInfo connection;
    private final ExchangeListener listener;
    private final ExchangeClock clock;
    private final HeaderBlockDecoder requestDecoder = new HeaderBlockDecoder();
    private final HeaderBlockDecoder responseDecoder = new HeaderBlockDecoder();
    private final FrameReader fromClient = FrameReader.client(new ClientFrames());
    private final FrameReader fromServer = FrameReader.server(new ServerFrames());
    /** Exchanges not finished yet, by stream id. */
    private final Map<Integer, Exchange> streams = new HashMap<>();
    private final WaitingStreams waiting = new WaitingStreams();
    private boolean warnedAboutLeanStreams;
    private boolean warnedAboutStreamLimit;
    /** Streams the client reset before their response head. */
    private long clientResets;
    /** A request was read: from then on the connection is HTTP/2, and losing it is worth a line. */
    private boolean sawRequest;
    private State state = State.WATCHING;

    public Http2Connection(ConnectionInfo connection, ExchangeListener listener, ExchangeClock clock) {
        this.connection = connection;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Initialises the HPACK decoder's classes, so that the first HTTP/2 connection of a run does not wait for
     * them on the relay thread: ~150 ms of CPU in a cold JVM (Jetty's HttpFields makes a date formatter at
     * class initialisation, which loads the JDK's calendar and locale data). For a background thread at start.
     */
    public static void prepare() {
        new HeaderBlockDecoder();
    }

    public State state() {
        return state;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        read(fromClient, data, "client");
    }

    @Override
    public void onServerData(ByteBuffer data) {
        read(fromServer, data, "server");
    }

    /** The client may half-close and still be answered: nothing ends here. */
    @Override
    public void onClientEnd() {
    }

    /** Nothing can be answered after the server's FIN. */
    @Override
    public void onServerEnd() {
        if (state == State.WATCHING) {
            state = State.CLOSED;
            finishAll(Http2Connection::outcomeWhenClosed);
        }
    }

    @Override
    public void onClose(boolean reset) {
        if (state == State.WATCHING) {
            finishAll(reset ? exchange -> exchange.isResponseComplete() ? Outcome.COMPLETE : Outcome.RESET
                    : Http2Connection::outcomeWhenClosed);
        }
        state = State.CLOSED;
    }

    /** Streams followed, in full or lean, plus those waiting for their response: what this connection holds. */
    int trackedStreams() {
        return streams.size() + waiting.waiting();
    }

    /** Streams followed in full (with their header fields). */
    int followedStreams() {
        return streams.size() - waiting.followed();
    }

    /**
     * Follows the HTTP/1.1 request that asked for h2c on as stream 1, whose response comes in HTTP/2. The
     * client's SETTINGS travelled with it and may already allow the server's encoder a larger table.
     */
    void adoptUpgradeRequest(Exchange upgrade, ByteBuffer clientSettings) {
        streams.put(1, upgrade);
        FrameReader.headerTableSize(clientSettings).ifPresent(responseDecoder::allowTableSize);
    }

    private void read(FrameReader reader, ByteBuffer data, String side) {
        if (state != State.WATCHING) {
            return;
        }
        try {
            reader.read(data.duplicate()); // the relay's buffer position stays where it was
        } catch (Http2Exception e) {
            giveUp(side + ": " + e.getMessage());
        } catch (RuntimeException e) {
            Log.error("%s: internal error while following HTTP/2, not following further: %s", connection.flow(), e);
            giveUp("internal error");
        }
    }

    /** Reports every open exchange as not followed, or the connection when none is open. */
    private void giveUp(String reason) {
        state = State.NOT_HTTP2;
        if (streams.isEmpty() && waiting.waiting() == 0) {
            if (sawRequest || fromClient.isPastPreface()) { // after the whole preface, this is HTTP/2
                listener.onNotFollowed(connection, "cannot follow the connection: " + reason);
            } else {
                Log.verbose("%s: not HTTP/2 (%s), not following further", connection.flow(), reason);
            }
            return;
        }
        finishAll(exchange -> exchange.isResponseComplete() ? Outcome.COMPLETE : Outcome.UNPARSEABLE, reason);
    }

    private static Outcome outcomeWhenClosed(Exchange exchange) {
        if (exchange.isResponseComplete()) {
            return Outcome.COMPLETE;
        }
        return exchange.response().isPresent() ? Outcome.CLOSED_MID_RESPONSE : Outcome.NO_RESPONSE;
    }

    private void finishAll(Function<Exchange, Outcome> outcome) {
        finishAll(outcome, null);
    }

    /**
     * Ends every exchange still open, in the order their streams were opened, waiting ones included (made
     * one at a time, so memory does not grow); {@code notFollowed}: why, for those ending UNPARSEABLE.
     */
    private void finishAll(Function<Exchange, Outcome> outcome, String notFollowed) {
        List<Integer> ids = new ArrayList<>(streams.keySet());
        ids.addAll(waiting.ids());
        ids.sort(null);
        for (int id : ids) {
            Exchange exchange = exchangeOf(id);
            Outcome how = outcome.apply(exchange);
            if (how == Outcome.UNPARSEABLE && notFollowed != null) {
                streams.remove(id);
                waiting.ended(id);
                report(exchange, exchange.finishNotFollowed(notFollowed, clock.nanoTime()));
            } else {
                finish(id, how);
            }
        }
        if (waiting.dropped() > 0) {
            listener.onNotFollowed(connection, waiting.dropped() + " streams were not reported (more than "
                    + (MAX_OPEN_STREAMS + WaitingStreams.MAX_STREAMS) + " open at once)");
        }
        if (clientResets > SHOWN_CLIENT_RESETS) {
            listener.onNotFollowed(connection, (clientResets - SHOWN_CLIENT_RESETS)
                    + " more streams reset by the client before their response were not shown");
        }
    }

    private void finish(int streamId, Outcome outcome) {
        waiting.ended(streamId);
        Exchange exchange = streams.remove(streamId);
        if (exchange != null) {
            report(exchange, exchange.finish(outcome, clock.nanoTime()));
        }
    }

    /** Tells the listener that {@code exchange} is over, when {@code ended} says this call ended it. */
    private void report(Exchange exchange, boolean ended) {
        if (ended) {
            try {
                listener.onExchangeFinished(exchange);
            } catch (RuntimeException e) {
                Log.error("%s: exchange listener failed: %s", connection.flow(), e);
            }
        }
    }

    private void finishIfDone(int streamId, Exchange exchange) {
        if (exchange.isRequestComplete() && exchange.isResponseComplete()) {
            finish(streamId, Outcome.COMPLETE);
        }
    }

    /** A stream ended by RST_STREAM from either side: complete if its whole response had arrived. */
    private void reset(int streamId) {
        Exchange exchange = exchangeOf(streamId);
        if (exchange != null) {
            finish(streamId, exchange.isResponseComplete() ? Outcome.COMPLETE : Outcome.RESET);
        }
    }

    /**
     * A stream the client reset: reported as {@link #reset}, unless it had no response yet and the client
     * has already reset {@link #SHOWN_CLIENT_RESETS} such streams here; then it is only counted.
     */
    private void resetByClient(int streamId) {
        Exchange exchange = exchangeOf(streamId);
        if (exchange == null || exchange.response().isPresent() || ++clientResets <= SHOWN_CLIENT_RESETS) {
            reset(streamId);
            return;
        }
        if (clientResets == SHOWN_CLIENT_RESETS + 1) {
            listener.onNotFollowed(connection, "the client reset more than " + SHOWN_CLIENT_RESETS
                    + " streams before their response (an HTTP/2 rapid reset?): the rest of those are counted, not shown");
        }
        streams.remove(streamId);
        waiting.ended(streamId);
        listener.onExchangeDropped(exchange);
    }

    /** Starts following a stream with the request {@code block}; null when it waits for room or is dropped. */
    private Exchange open(int streamId, HeaderBlock block) {
        sawRequest = true;
        if (followedStreams() >= MAX_OPEN_STREAMS) {
            if (waiting.add(streamId, requestHead(block), clock.epochMillis(), clock.nanoTime())) {
                if (!warnedAboutLeanStreams) {
                    warnedAboutLeanStreams = true;
                    listener.onNotFollowed(connection, WaitingStreams.NOTE);
                }
            } else if (!warnedAboutStreamLimit) {
                warnedAboutStreamLimit = true;
                listener.onNotFollowed(connection, "more than " + (MAX_OPEN_STREAMS + WaitingStreams.MAX_STREAMS)
                        + " streams open at once: the streams opened beyond that are not reported");
            }
            return null;
        }
        Exchange exchange = new Exchange(connection, requestHead(block), clock.epochMillis(), clock.nanoTime());
        streams.put(streamId, exchange);
        listener.onRequestHead(exchange);
        return exchange;
    }

    /** The exchange of a stream followed, or of a waiting one, followed lean from now on; null for others. */
    private Exchange exchangeOf(int streamId) {
        Exchange exchange = streams.get(streamId);
        if (exchange == null && waiting.contains(streamId)) {
            exchange = waiting.follow(streamId, connection);
            streams.put(streamId, exchange);
            listener.onRequestHead(exchange);
        }
        return exchange;
    }

    /**
     * The target is the absolute URL, so that the exchange's URL comes from the pseudo-header fields (the
     * connection's port added when :authority leaves it out).
     */
    private RequestHead requestHead(HeaderBlock block) {
        String target = block.path();
        if (!block.authority().isEmpty()) {
            String scheme = block.scheme().isEmpty() ? connection.scheme() : block.scheme();
            target = RequestUrl.of(scheme, block.authority(), connection.flow().server().getPort(), block.path());
        }
        return new RequestHead(block.method(), target, VERSION, block.withPseudoHeaders());
    }

    /** Decodes a header block; a malformed one loses only its stream. Null when the stream is lost. */
    private HeaderBlock decode(HeaderBlockDecoder decoder, int streamId, ByteBuffer block) throws Http2Exception {
        try {
            return decoder.decode(block);
        } catch (HeaderBlockDecoder.MalformedStreamException e) {
            Log.verbose("%s: stream %d has a malformed header block (%s), not following it", connection.flow(),
                    streamId, e.getMessage());
            Exchange exchange = streams.get(streamId);
            if (exchange != null) {
                finish(streamId, Outcome.UNPARSEABLE);
            }
            return null;
        }
    }

    /** Client to server: requests and their bodies. */
    private final class ClientFrames implements FrameReader.Handler {
        @Override
        public void onHeaders(int streamId, ByteBuffer block, boolean endStream) throws Http2Exception {
            HeaderBlock headers = decode(requestDecoder, streamId, block);
            if (headers == null) {
                return;
            }
            Exchange exchange = streams.get(streamId);
            if (exchange == null) {
                if (headers.kind() != HeaderBlock.Kind.REQUEST || waiting.contains(streamId)) {
                    if (endStream) {
                        waiting.markRequestComplete(streamId, clock.nanoTime()); // trailers of a waiting stream
                    }
                    return; // a stream not followed, or a late block on a finished one
                }
                exchange = open(streamId, headers);
                if (exchange == null) {
                    if (endStream) {
                        waiting.markRequestComplete(streamId, clock.nanoTime());
                    }
                    return;
                }
            }
            if (endStream) {
                onDataEndStream(streamId); // request trailers, or a request without a body
            }
        }

        @Override
        public void onData(int streamId, ByteBuffer content) {
            Exchange exchange = streams.get(streamId);
            if (exchange != null && content.hasRemaining()) {
                exchange.addRequestBodyBytes(content.remaining());
                listener.onRequestBody(exchange, content);
            } else {
                waiting.addBodyBytes(streamId, content.remaining());
            }
        }

        @Override
        public void onDataEndStream(int streamId) {
            Exchange exchange = streams.get(streamId);
            if (exchange != null) {
                exchange.markRequestComplete(clock.nanoTime());
                finishIfDone(streamId, exchange);
            } else {
                waiting.markRequestComplete(streamId, clock.nanoTime());
            }
        }

        @Override
        public void onPushPromise(int streamId, int promisedStreamId, ByteBuffer block) throws Http2Exception {
            throw new Http2Exception("the client sent a PUSH_PROMISE");
        }

        @Override
        public void onRstStream(int streamId, int errorCode) {
            resetByClient(streamId);
        }

        @Override
        public void onHeaderTableSize(long bytes) {
            responseDecoder.allowTableSize(bytes); // the client's decoder limits the server's encoder
        }

        @Override
        public void onGoAway(int lastStreamId, int errorCode) {
            // The client stops opening streams; those open still get their responses.
        }
    }

    /** Server to client: responses, their bodies and trailers, and pushed exchanges. */
    private final class ServerFrames implements FrameReader.Handler {
        @Override
        public void onHeaders(int streamId, ByteBuffer block, boolean endStream) throws Http2Exception {
            HeaderBlock headers = decode(responseDecoder, streamId, block);
            Exchange exchange = streams.get(streamId);
            if (headers != null && exchange == null) {
                exchange = exchangeOf(streamId); // a waiting stream is answered
            }
            if (headers == null || exchange == null) {
                return;
            }
            if (headers.kind() == HeaderBlock.Kind.RESPONSE && exchange.response().isEmpty()) {
                Headers fields = waiting.isLean(streamId) ? Headers.EMPTY : headers.withPseudoHeaders();
                ResponseHead head = new ResponseHead(headers.status(), "", VERSION, fields);
                if (head.isInformational() && head.status() != 101) {
                    return; // 100 Continue, 103 Early Hints: the final response is still to come
                }
                exchange.recordResponse(head, clock.nanoTime());
                listener.onResponseHead(exchange);
            } else if (headers.kind() == HeaderBlock.Kind.TRAILERS && !waiting.isLean(streamId)) {
                exchange.recordTrailers(headers.fields());
            }
            if (endStream) {
                onDataEndStream(streamId);
            }
        }

        @Override
        public void onData(int streamId, ByteBuffer content) {
            Exchange exchange = streams.get(streamId);
            if (exchange != null && content.hasRemaining()) {
                exchange.addResponseBodyBytes(content.remaining());
                listener.onResponseBody(exchange, content);
            }
        }

        @Override
        public void onDataEndStream(int streamId) {
            Exchange exchange = streams.get(streamId);
            if (exchange != null && exchange.response().isPresent()) {
                exchange.markResponseComplete();
                finishIfDone(streamId, exchange);
            }
        }

        @Override
        public void onPushPromise(int streamId, int promisedStreamId, ByteBuffer block) throws Http2Exception {
            HeaderBlock headers = decode(responseDecoder, promisedStreamId, block);
            // A promise must name a new even stream (RFC 9113, 8.4): one that names a stream the client opened,
            // or one already promised, is the server's error, which the client answers; it must not take the
            // place of the exchange already reported or waiting for its response.
            boolean newServerStream = promisedStreamId % 2 == 0 && !streams.containsKey(promisedStreamId)
                    && !waiting.contains(promisedStreamId);
            if (headers == null || headers.kind() != HeaderBlock.Kind.REQUEST || !newServerStream) {
                return;
            }
            Exchange pushed = open(promisedStreamId, headers);
            if (pushed != null) {
                pushed.markRequestComplete(clock.nanoTime()); // a promised request has no body
            }
        }

        @Override
        public void onRstStream(int streamId, int errorCode) {
            reset(streamId);
        }

        @Override
        public void onHeaderTableSize(long bytes) {
            requestDecoder.allowTableSize(bytes);
        }

        @Override
        public void onGoAway(int lastStreamId, int errorCode) {
            // Streams the client opened after lastStreamId were never processed: they get no response here.
            List<Integer> unprocessed = new ArrayList<>(streams.keySet());
            unprocessed.addAll(waiting.ids());
            unprocessed.removeIf(id -> id <= lastStreamId || id % 2 == 0);
            unprocessed.sort(null);
            for (int id : unprocessed) {
                exchangeOf(id);
                finish(id, Outcome.NO_RESPONSE);
            }
        }
    }
}
