package dev.httptap.event;

import java.nio.ByteBuffer;

/** Passes on only the exchanges an {@link ExchangeFilter} wants: progress while they may match, the end if they do. */
public final class FilteredListener implements ExchangeListener {
    private final ExchangeFilter filter;
    private final ExchangeListener next;

    public FilteredListener(ExchangeFilter filter, ExchangeListener next) {
        this.filter = filter;
        this.next = next;
    }

    @Override
    public void onRequestHead(Exchange exchange) {
        if (filter.mayMatch(exchange)) {
            next.onRequestHead(exchange);
        }
    }

    @Override
    public void onRequestBody(Exchange exchange, ByteBuffer data) {
        if (filter.mayMatch(exchange)) {
            next.onRequestBody(exchange, data);
        }
    }

    @Override
    public void onResponseHead(Exchange exchange) {
        if (filter.mayMatch(exchange)) {
            next.onResponseHead(exchange);
        }
    }

    @Override
    public void onResponseBody(Exchange exchange, ByteBuffer data) {
        if (filter.mayMatch(exchange)) {
            next.onResponseBody(exchange, data);
        }
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        if (filter.matches(exchange)) {
            next.onExchangeFinished(exchange);
        } else {
            next.onExchangeDropped(exchange); // it heard the progress: what it kept for the exchange must go
        }
    }

    @Override
    public void onExchangeDropped(Exchange exchange) {
        next.onExchangeDropped(exchange);
    }

    /** No exchange to judge: passed on, since the user would otherwise not learn that something went unseen. */
    @Override
    public void onNotFollowed(ConnectionInfo connection, String reason) {
        next.onNotFollowed(connection, reason);
    }
}
