package dev.httptap.sink;

import dev.httptap.event.Exchange;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An exchange's times in whole milliseconds, as HAR counts them: {@code wait} from the request head to the
 * response head, {@code receive} from there to the end. The request is taken as sent when its head is seen
 * (the body's own duration is not recorded, so it falls in {@code wait}). {@code total} is their sum.
 */
public record ExchangeTimes(String started, long sendMillis, long waitMillis, long receiveMillis) {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** {@code nowNanos} stands in for the times an unfinished exchange does not have yet. */
    public static ExchangeTimes of(Exchange exchange, long nowNanos) {
        long end = exchange.endNanos() >= 0 ? exchange.endNanos() : nowNanos;
        long total = millis(end - exchange.startNanos());
        long wait = exchange.responseNanos() >= 0 ? Math.min(total, millis(exchange.responseNanos() - exchange.startNanos())) : total;
        return new ExchangeTimes(ISO_MILLIS.format(Instant.ofEpochMilli(exchange.startEpochMillis())), 0, wait, total - wait);
    }

    public long total() {
        return sendMillis + waitMillis + receiveMillis;
    }

    private static long millis(long nanos) {
        return Math.max(0, Math.round(nanos / 1_000_000.0));
    }
}
