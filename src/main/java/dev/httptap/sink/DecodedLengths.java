package dev.httptap.sink;

import dev.httptap.body.BodyDecoder;
import dev.httptap.body.LengthMeter;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands before the sinks and measures each content-coded response body's decoded length as it streams
 * (see {@link LengthMeter}), whatever is printed, and records it on the exchange before passing its end on:
 * the {@code (N bytes)} of the exchange line, the HAR's {@code content.size} and the JSON lines' sizes all
 * read it there. Bodies without a content coding cost nothing here.
 */
public final class DecodedLengths implements ExchangeListener {
    private static final int PARTIAL_CONTENT = 206;

    private final ExchangeListener next;
    private final Map<Exchange, LengthMeter> meters = new ConcurrentHashMap<>();

    public DecodedLengths(ExchangeListener next) {
        this.next = next;
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
        exchange.response().filter(head -> head.status() != PARTIAL_CONTENT)
                .flatMap(head -> BodyDecoder.meter(head.headers().all("Content-Encoding")))
                .ifPresent(meter -> meters.put(exchange, meter));
        next.onResponseHead(exchange);
    }

    @Override
    public void onResponseBody(Exchange exchange, ByteBuffer data) {
        LengthMeter meter = meters.get(exchange);
        if (meter != null) {
            meter.append(data.duplicate());
        }
        next.onResponseBody(exchange, data);
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        LengthMeter meter = meters.remove(exchange);
        if (meter != null) {
            meter.end(exchange.isResponseComplete());
            exchange.recordDecodedResponseLength(meter.problem() == null ? DecodedLength.of(meter.decodedBytes())
                    : DecodedLength.notDecoded(meter.problem()));
        }
        next.onExchangeFinished(exchange);
    }

    @Override
    public void onExchangeDropped(Exchange exchange) {
        meters.remove(exchange);
        next.onExchangeDropped(exchange);
    }

    @Override
    public void onNotFollowed(ConnectionInfo connection, String reason) {
        next.onNotFollowed(connection, reason);
    }
}
