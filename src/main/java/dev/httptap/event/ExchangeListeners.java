package dev.httptap.event;

import java.nio.ByteBuffer;
import java.util.List;

/** Fans exchange events out to several sinks (terminal, HAR file, ...), in the order given. */
public final class ExchangeListeners {
    private ExchangeListeners() {}

    public static ExchangeListener of(ExchangeListener... listeners) {
        return of(List.of(listeners));
    }

    public static ExchangeListener of(List<ExchangeListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> ExchangeListener.NONE;
            case 1 -> listeners.get(0);
            default -> new Composite(List.copyOf(listeners));
        };
    }

    private record Composite(List<ExchangeListener> listeners) implements ExchangeListener {
        @Override
        public void onRequestHead(Exchange exchange) {
            for (ExchangeListener listener : listeners) {
                listener.onRequestHead(exchange);
            }
        }

        @Override
        public void onRequestBody(Exchange exchange, ByteBuffer data) {
            for (ExchangeListener listener : listeners) {
                // Each sink gets its own view, so one that reads the buffer cannot hide bytes from the next.
                listener.onRequestBody(exchange, data.duplicate());
            }
        }

        @Override
        public void onResponseHead(Exchange exchange) {
            for (ExchangeListener listener : listeners) {
                listener.onResponseHead(exchange);
            }
        }

        @Override
        public void onResponseBody(Exchange exchange, ByteBuffer data) {
            for (ExchangeListener listener : listeners) {
                listener.onResponseBody(exchange, data.duplicate());
            }
        }

        @Override
        public void onExchangeFinished(Exchange exchange) {
            for (ExchangeListener listener : listeners) {
                listener.onExchangeFinished(exchange);
            }
        }

        @Override
        public void onExchangeDropped(Exchange exchange) {
            for (ExchangeListener listener : listeners) {
                listener.onExchangeDropped(exchange);
            }
        }

        @Override
        public void onNotFollowed(ConnectionInfo connection, String reason) {
            for (ExchangeListener listener : listeners) {
                listener.onNotFollowed(connection, reason);
            }
        }
    }
}
