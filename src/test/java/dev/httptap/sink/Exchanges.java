package dev.httptap.sink;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import dev.httptap.stack.FlowId;

import java.net.InetSocketAddress;

/** Exchanges for sink tests, with fixed times: started at 2026-01-02T03:04:05.678Z, response after 20 ms, end after 35 ms. */
public final class Exchanges {
    public static final long START_MILLIS = 1767323045678L;
    public static final long START_NANOS = 1_000_000_000L;

    private Exchanges() {}

    /** A clock that reads the exchanges' start date, and {@code elapsedNanos} after their start. */
    public static ExchangeClock clock(long elapsedNanos) {
        return new ExchangeClock() {
            @Override
            public long epochMillis() {
                return START_MILLIS;
            }

            @Override
            public long nanoTime() {
                return START_NANOS + elapsedNanos;
            }
        };
    }

    public static ConnectionInfo connection(int clientPort) {
        return new ConnectionInfo(
                new FlowId(new InetSocketAddress("10.1.1.100", clientPort), new InetSocketAddress("169.254.77.65", 8000)),
                new InetSocketAddress("127.0.0.1", 8000), "http");
    }

    public static Exchange started(ConnectionInfo connection, String method, String target, Headers headers) {
        return new Exchange(connection, new RequestHead(method, target, "HTTP/1.1", headers), START_MILLIS, START_NANOS);
    }

    public static void respond(Exchange exchange, int status, String reason, Headers headers) {
        exchange.recordResponse(new ResponseHead(status, reason, "HTTP/1.1", headers), START_NANOS + 20_000_000L);
    }

    public static void finish(Exchange exchange, Outcome outcome) {
        exchange.finish(outcome, START_NANOS + 35_000_000L);
    }
}
