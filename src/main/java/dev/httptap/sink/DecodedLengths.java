package dev.httptap.sink;

import dev.httptap.body.BodyDecoder;
import dev.httptap.body.DecoderQueue;
import dev.httptap.body.LengthMeter;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.ResponseHead;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands before the sinks and measures each content-coded response body's decoded length (see
 * {@link LengthMeter}), whatever is printed, and records it on the exchange before passing its end on: the
 * {@code (N bytes)} of the exchange line, the HAR's {@code content.size} and the JSON lines' sizes all read it
 * there. The decoding runs off the connections' thread, on a {@link DecoderQueue}'s worker, so the relay
 * never waits for it; an exchange whose body went there has its end passed on once its length is known,
 * on the thread given to {@link #deliverOn} (the relay's loop, where the sinks hear everything else), so
 * it may follow later exchanges. Bodies without a content coding cost nothing here and are not held back.
 */
public final class DecodedLengths implements ExchangeListener {
    private static final int PARTIAL_CONTENT = 206;

    private final ExchangeListener next;
    private final DecoderQueue decoder;
    private final Map<Exchange, DecoderQueue.Body> bodies = new ConcurrentHashMap<>();
    private final Queue<Measured> measured = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean deliveryAsked = new AtomicBoolean();
    /** Until {@link #deliverOn}: nowhere, and the measured exchanges wait for {@link #finish}. */
    private volatile Executor delivery = task -> { };

    private record Measured(Exchange exchange, DecodedLength length) {}

    public DecodedLengths(ExchangeListener next, DecoderQueue decoder) {
        this.next = next;
        this.decoder = decoder;
    }

    /**
     * Where the exchanges measured off their connection's thread are passed on: {@code thread} runs each task
     * given to it, in order, on the thread the connections' events come from. Call before the first exchange.
     */
    public void deliverOn(Executor thread) {
        delivery = thread;
    }

    /**
     * At the end of the run, once no connection is left: lets the decoding still under way finish, or
     * abandons it (see {@link DecoderQueue#finish}), and passes on, on this thread, the exchanges still held.
     */
    public void finish(Duration bound) throws InterruptedException {
        try {
            decoder.finish(bound);
        } finally {
            deliverMeasured();
        }
    }

    @Override
    public void onRequestHead(Exchange exchange) {
        next.onRequestHead(exchange);
    }

    @Override
    public void onRequestBody(Exchange exchange, ByteBuffer data) {
        next.onRequestBody(exchange, data);
    }

    /** A 206's body is a range of the coded stream, which has no decoded length of its own: it counts as sent. */
    @Override
    public void onResponseHead(Exchange exchange) {
        ResponseHead head = exchange.response().orElse(null);
        if (head != null && head.status() != PARTIAL_CONTENT) {
            BodyDecoder.meter(head.headers().all("Content-Encoding")).ifPresent(meter ->
                    bodies.put(exchange, decoder.add(meter, measuredMeter -> measured(exchange, measuredMeter))));
        }
        next.onResponseHead(exchange);
    }

    @Override
    public void onResponseBody(Exchange exchange, ByteBuffer data) {
        DecoderQueue.Body body = bodies.get(exchange);
        if (body != null) {
            body.append(data);
        }
        next.onResponseBody(exchange, data);
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        DecoderQueue.Body body = bodies.remove(exchange);
        if (body == null) {
            next.onExchangeFinished(exchange);
            return;
        }
        body.end(exchange.isResponseComplete()).ifPresent(meter -> {
            exchange.recordDecodedResponseLength(lengthOf(meter));
            next.onExchangeFinished(exchange);
        });
    }

    @Override
    public void onExchangeDropped(Exchange exchange) {
        DecoderQueue.Body body = bodies.remove(exchange);
        if (body != null) {
            body.cancel();
        }
        next.onExchangeDropped(exchange);
    }

    @Override
    public void onNotFollowed(ConnectionInfo connection, String reason) {
        next.onNotFollowed(connection, reason);
    }

    /** On the decoder's thread: the exchange goes back to the delivery thread with its length. */
    private void measured(Exchange exchange, LengthMeter meter) {
        measured.add(new Measured(exchange, lengthOf(meter)));
        if (deliveryAsked.compareAndSet(false, true)) {
            delivery.execute(this::deliverMeasured);
        }
    }

    private void deliverMeasured() {
        deliveryAsked.set(false); // before polling: whatever is measured from now on asks again
        for (Measured done; (done = measured.poll()) != null; ) {
            done.exchange().recordDecodedResponseLength(done.length());
            next.onExchangeFinished(done.exchange());
        }
    }

    private static DecodedLength lengthOf(LengthMeter meter) {
        return meter.problem() == null ? DecodedLength.of(meter.decodedBytes()) : DecodedLength.notDecoded(meter.problem());
    }
}
