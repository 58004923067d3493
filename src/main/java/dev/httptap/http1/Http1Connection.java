package dev.httptap.http1;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Outcome;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import dev.httptap.log.Log;
import dev.httptap.relay.FlowObserver;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Watches one TCP connection as HTTP/1.x and reports each exchange on it. Requests wait in a FIFO queue
 * for their responses, which is all keep-alive and pipelining need. Interim 1xx responses are skipped;
 * after a 101 (or a 2xx to CONNECT) the rest of the connection is another protocol, followed only when the
 * {@link ProtocolSwitch} has an observer for it (h2c), which then also takes over the exchange that asked.
 * Heads are read as leniently as servers read them (see {@link HeadParser}); a request whose body's end
 * cannot be known is followed until its response ends. Bytes that even so are not HTTP/1 end the watching:
 * the exchanges open then are reported as not followed, with the reason (or, when there are none on a
 * connection that carried HTTP/1 before, the listener hears {@code onNotFollowed}); nothing here ever
 * throws to the relay.
 */
public final class Http1Connection implements FlowObserver {
    /** Requests sent ahead of their responses beyond this are not followed (memory stays bounded). */
    static final int MAX_PIPELINED_REQUESTS = 256;

    public enum State {
        /** Following HTTP/1 exchanges. */
        WATCHING,
        /** A protocol switch was seen; later bytes are not HTTP/1. */
        SWITCHED_PROTOCOLS,
        /** The bytes stopped making sense as HTTP/1. */
        NOT_HTTP,
        /** The server finished sending, or the connection is over: nothing more can be reported. */
        CLOSED
    }

    private final ConnectionInfo connection;
    private final ExchangeListener listener;
    private final ExchangeClock clock;
    private final ProtocolSwitch protocolSwitch;
    private final MessageReader requests = new MessageReader(new RequestSide());
    private final MessageReader responses = new MessageReader(new ResponseSide());
    /** Requests whose final response has not fully arrived, oldest first. */
    private final ArrayDeque<Exchange> awaitingResponse = new ArrayDeque<>();
    /** The exchange whose request is still arriving (it may already have its response). */
    private Exchange sendingRequest;
    /** The body of {@link #sendingRequest} has no known end: it ends with its response (or the client's FIN). */
    private boolean requestEndUnknown;
    /** A request head was read: from then on the connection is HTTP/1, and losing it is worth a line. */
    private boolean sawRequest;
    /** The observer of the protocol a 101 switched to; null while the connection is HTTP/1 or not followed. */
    private FlowObserver successor;
    private State state = State.WATCHING;

    public Http1Connection(ConnectionInfo connection, ExchangeListener listener, ExchangeClock clock) {
        this(connection, listener, clock, ProtocolSwitch.NONE);
    }

    public Http1Connection(ConnectionInfo connection, ExchangeListener listener, ExchangeClock clock,
            ProtocolSwitch protocolSwitch) {
        this.connection = connection;
        this.listener = listener;
        this.clock = clock;
        this.protocolSwitch = protocolSwitch;
    }

    public State state() {
        return state;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        if (successor != null) {
            successor.onClientData(data);
            return;
        }
        if (state != State.WATCHING) {
            return;
        }
        try {
            requests.read(data.duplicate()); // the relay's buffer position stays where it was
        } catch (Http1Exception | RuntimeException e) {
            giveUp("request", e);
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        if (successor != null) {
            successor.onServerData(data);
            return;
        }
        if (state != State.WATCHING) {
            return;
        }
        ByteBuffer rest = data.duplicate();
        try {
            responses.read(rest);
        } catch (Http1Exception | RuntimeException e) {
            giveUp("response", e);
            return;
        }
        if (successor != null && rest.hasRemaining()) {
            successor.onServerData(rest); // the new protocol's first bytes came right behind the 101
        }
    }

    /** A request cut off by the client's FIN may still be answered; only a body without a known end ends. */
    @Override
    public void onClientEnd() {
        if (successor != null) {
            successor.onClientEnd();
            return;
        }
        if (state == State.WATCHING) {
            endInput(requests, "request");
        }
    }

    /**
     * No response can follow the server's FIN: a read-until-close body ends, everything else is cut short,
     * and whatever the client still sends can never be answered, so it is not followed.
     */
    @Override
    public void onServerEnd() {
        if (successor != null) {
            successor.onServerEnd();
            return;
        }
        if (state != State.WATCHING || !endInput(responses, "response")) {
            return;
        }
        String partialHead = responses.startLineSoFar();
        if (partialHead != null && awaitingResponse.isEmpty()) { // e.g. an HTTP/0.9 answer, which has no head
            giveUp("response", new Http1Exception("the server closed after bytes that are no HTTP/1 response: "
                    + Printable.excerpt(partialHead)));
            return;
        }
        if (endedInsideResponseHead("the server closed the connection")) {
            return;
        }
        stopFollowing(State.CLOSED);
        finishAllPending(Http1Connection::outcomeWhenClosed);
    }

    @Override
    public void onClose(boolean reset) {
        if (successor != null) {
            successor.onClose(reset);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        // A client giving up on a head that does not end (curl does after 100 KiB) closes it first.
        if (state == State.WATCHING
                && endedInsideResponseHead(reset ? "the connection was reset" : "the connection closed")) {
            state = State.CLOSED;
            return;
        }
        try {
            if (state == State.WATCHING && !reset) {
                responses.endOfInput();
            }
            finishAllPending(reset ? exchange -> Outcome.RESET : Http1Connection::outcomeWhenClosed);
        } catch (Http1Exception | RuntimeException e) {
            giveUp("response", e);
        }
        state = State.CLOSED;
    }

    /**
     * A response head begun and never ended: the client got those bytes and no response, so the exchange is
     * reported as not followed with their count, not as "(no response)"; true if there was one.
     */
    private boolean endedInsideResponseHead(String how) {
        long headBytes = responses.unfinishedHeadBytes();
        if (headBytes == 0) {
            return false;
        }
        giveUp("response", new Http1Exception(how + " inside a head, after " + headBytes + " bytes"));
        return true;
    }

    /** Ends {@code reader}'s input; false when that showed the bytes are not HTTP/1 (and the watching ended). */
    private boolean endInput(MessageReader reader, String where) {
        try {
            reader.endOfInput();
            return true;
        } catch (Http1Exception | RuntimeException e) {
            giveUp(where, e);
            return false;
        }
    }

    /** Ends every exchange still open: those awaiting a response with {@code outcome}. */
    private void finishAllPending(Function<Exchange, Outcome> outcome) {
        for (Exchange exchange = awaitingResponse.poll(); exchange != null; exchange = awaitingResponse.poll()) {
            finish(exchange, outcome.apply(exchange));
        }
        if (sendingRequest != null) {
            // Its response completed while its request was still arriving.
            finish(sendingRequest, Outcome.COMPLETE);
            sendingRequest = null;
        }
    }

    private static Outcome outcomeWhenClosed(Exchange exchange) {
        return exchange.response().isPresent() ? Outcome.CLOSED_MID_RESPONSE : Outcome.NO_RESPONSE;
    }

    /** Reports every open exchange as not followed, or the connection when none is open. */
    private void giveUp(String where, Exception problem) {
        String reason = where + ": " + problem.getMessage();
        String requestLine = requests.startLineSoFar();
        // An HTTP/0.9 request ("GET /"), answered without a status line, has no head end to wait for.
        sawRequest |= requestLine != null && StartLines.looksLikeRequest(requestLine);
        if (problem instanceof RuntimeException) {
            Log.error("%s: internal error while following HTTP/1, not following further: %s",
                    connection.flow(), problem);
            reason = "internal error";
        }
        stopFollowing(State.NOT_HTTP);
        if (awaitingResponse.isEmpty() && sendingRequest == null) {
            if (sawRequest) {
                listener.onNotFollowed(connection, "cannot follow the connection: " + reason);
            } else { // never HTTP/1 (a guess of the sniffer's, or a port forced to HTTP): no exchange was lost
                Log.verbose("%s: not HTTP/1 (%s), not following further", connection.flow(), reason);
            }
            return;
        }
        for (Exchange exchange = awaitingResponse.poll(); exchange != null; exchange = awaitingResponse.poll()) {
            report(exchange, exchange.finishNotFollowed(reason, clock.nanoTime()));
        }
        if (sendingRequest != null) {
            report(sendingRequest, sendingRequest.finishNotFollowed(reason, clock.nanoTime()));
            sendingRequest = null;
        }
    }

    private void stopFollowing(State why) {
        state = why;
        requests.stop();
        responses.stop();
    }

    private void finish(Exchange exchange, Outcome outcome) {
        report(exchange, exchange.finish(outcome, clock.nanoTime()));
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

    private void switchProtocols(Exchange exchange) {
        stopFollowing(State.SWITCHED_PROTOCOLS);
        Log.verbose("%s: %s switched protocols (%d), not following further", connection.flow(),
                exchange.url(), exchange.response().map(ResponseHead::status).orElse(0));
        finish(exchange, Outcome.COMPLETE);
        // Requests pipelined behind the switch will never be answered in HTTP/1.
        finishAllPending(Http1Connection::outcomeWhenClosed);
    }

    /** From the end of the 101 on, the successor sees every byte; the exchange that asked is its own now. */
    private void handOver(FlowObserver next) {
        Exchange exchange = awaitingResponse.remove();
        stopFollowing(State.SWITCHED_PROTOCOLS);
        Log.verbose("%s: %s switched protocols, following the new one", connection.flow(), exchange.url());
        finishAllPending(Http1Connection::outcomeWhenClosed);
        successor = next;
    }

    /** Client to server: starts exchanges. */
    private final class RequestSide implements MessageReader.Handler {
        @Override
        public BodyFraming onHead(RawHead raw) throws Http1Exception {
            RequestHead head;
            try {
                head = StartLines.request(raw);
            } catch (Http1Exception e) {
                // A line shaped like a request that cannot be read is worth a line, not silence.
                sawRequest |= StartLines.looksLikeRequest(raw.startLine());
                throw e;
            }
            sawRequest = true;
            if (awaitingResponse.size() >= MAX_PIPELINED_REQUESTS) {
                throw new Http1Exception("more than " + MAX_PIPELINED_REQUESTS + " requests awaiting responses");
            }
            Exchange exchange = new Exchange(connection, head, clock.epochMillis(), clock.nanoTime());
            raw.notes().forEach(note -> exchange.addNote("request " + note));
            BodyFraming framing = FramingRules.request(head);
            requestEndUnknown = framing.guess() != null;
            if (requestEndUnknown) {
                exchange.addNote("request " + framing.guess());
            }
            awaitingResponse.add(exchange);
            sendingRequest = exchange;
            listener.onRequestHead(exchange);
            return framing;
        }

        @Override
        public void onBody(ByteBuffer data) {
            sendingRequest.addRequestBodyBytes(data.remaining());
            listener.onRequestBody(sendingRequest, data);
        }

        @Override
        public void onMessageEnd() {
            Exchange exchange = sendingRequest;
            sendingRequest = null;
            exchange.markRequestComplete(clock.nanoTime());
            if (exchange.isResponseComplete()) {
                finish(exchange, Outcome.COMPLETE);
            }
        }
    }

    /** Server to client: completes the oldest exchange awaiting a response. */
    private final class ResponseSide implements MessageReader.Handler {
        /** The current response is an interim 1xx; the final one is still to come. */
        private boolean interim;
        /** The observer of the protocol the current response, a 101, switches to; null when none. */
        private FlowObserver switchingTo;

        @Override
        public BodyFraming onHead(RawHead raw) throws Http1Exception {
            ResponseHead head = StartLines.response(raw);
            Exchange exchange = awaitingResponse.peek();
            if (exchange == null) {
                String requestLine = requests.startLineSoFar();
                if (requestLine != null && StartLines.looksLikeRequest(requestLine)) {
                    sawRequest = true;
                    throw new Http1Exception("a response " + head.status() + " came before the end of the request head "
                            + Printable.excerpt(requestLine));
                }
                throw new Http1Exception("a response " + head.status() + " without a request");
            }
            if (raw.emptyLinesBefore() > 0) { // clients (curl, python, Go) take the empty line for the status line
                throw new Http1Exception("an empty line instead of a status line");
            }
            interim = head.isInformational() && head.status() != 101;
            // Followed only once the request is complete: the rest of its body would come after the 101.
            switchingTo = head.status() == 101 && exchange.isRequestComplete()
                    ? protocolSwitch.follow(exchange, head) : null;
            BodyFraming framing = FramingRules.response(exchange.request(), head);
            if (!interim && switchingTo == null) {
                raw.notes().forEach(note -> exchange.addNote("response " + note));
                if (framing.guess() != null) {
                    exchange.addNote("response " + framing.guess());
                }
                exchange.recordResponse(head, clock.nanoTime());
                listener.onResponseHead(exchange);
            }
            return framing;
        }

        @Override
        public void onBody(ByteBuffer data) {
            Exchange exchange = awaitingResponse.element();
            exchange.addResponseBodyBytes(data.remaining());
            listener.onResponseBody(exchange, data);
        }

        @Override
        public void onMessageEnd() {
            if (switchingTo != null) {
                handOver(switchingTo);
                return;
            }
            if (interim) {
                return;
            }
            Exchange exchange = awaitingResponse.remove();
            exchange.markResponseComplete();
            ResponseHead head = exchange.response().orElseThrow();
            if (FramingRules.switchesProtocols(exchange.request(), head)) {
                switchProtocols(exchange);
            } else if (exchange.isRequestComplete()) {
                finish(exchange, Outcome.COMPLETE);
            } else if (exchange == sendingRequest && requestEndUnknown) {
                // Servers close after answering such a request; whatever the client sends on is not followed.
                requests.stop();
                sendingRequest = null;
                finish(exchange, Outcome.COMPLETE);
            }
        }
    }
}
