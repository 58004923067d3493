package dev.httptap.event;


import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes down what a listener hears as short lines. Consecutive body pieces of one message are joined
 * into one line, so the record does not depend on how the bytes were split.
 */
public final class RecordingListener implements ExchangeListener {
    public final List<String> events = new ArrayList<>();
    public final List<Exchange> finished = new ArrayList<>();

    @Override
    public void onRequestHead(Exchange exchange) {
        events.add("request " + exchange.request().method() + " " + exchange.request().target());
    }

    @Override
    public void onRequestBody(Exchange exchange, ByteBuffer data) {
        body("request body: ", data);
    }

    @Override
    public void onResponseHead(Exchange exchange) {
        events.add("response " + exchange.response().orElseThrow().status());
    }

    @Override
    public void onResponseBody(Exchange exchange, ByteBuffer data) {
        body("response body: ", data);
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        finished.add(exchange);
        events.add("finished " + exchange.request().method() + " " + exchange.url() + " "
                + exchange.response().map(head -> String.valueOf(head.status())).orElse("-") + " "
                + exchange.outcome() + " " + exchange.requestBodyBytes() + "/" + exchange.responseBodyBytes());
        exchange.notes().forEach(note -> events.add("note: " + note));
        exchange.notFollowedReason().ifPresent(reason -> events.add("not followed: " + reason));
    }

    @Override
    public void onExchangeDropped(Exchange exchange) {
        events.add("dropped " + exchange.request().method() + " " + exchange.url());
    }

    @Override
    public void onNotFollowed(ConnectionInfo connection, String reason) {
        events.add("connection not followed: " + reason);
    }

    private void body(String prefix, ByteBuffer data) {
        assertTrue(data.isReadOnly(), "body slices must be read-only");
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int last = events.size() - 1;
        if (last >= 0 && events.get(last).startsWith(prefix)) {
            events.set(last, events.get(last) + text);
        } else {
            events.add(prefix + text);
        }
    }
}
