package dev.httptap.sink;

import dev.httptap.event.Exchange;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An exchange's times in whole milliseconds, as HAR counts them: {@code send} from the request head to the
 * request's last byte (0 when that was not recorded), {@code wait} from there to the response head,
 * {@code receive} from there to the end. A response that starts before the request ends (a server answering
 * early) ends {@code send}. {@code total} is their sum.
 */
public record ExchangeTimes(String started, long sendMillis, long waitMillis, long receiveMillis) {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** {@code nowNanos} stands in for the times an unfinished exchange does not have yet. */
    public static ExchangeTimes of(Exchange exchange, long nowNanos) {
        long end = exchange.endNanos() >= 0 ? exchange.endNanos() : nowNanos;
        long start = exchange.startNanos();
        long response = exchange.responseNanos() >= 0 ? Math.min(exchange.responseNanos(), end) : end;
        long sent = exchange.requestEndNanos() >= 0 ? Math.min(exchange.requestEndNanos(), response) : start;
        long total = millis(end - start);
        long send = Math.min(total, millis(sent - start));
        long wait = Math.min(total - send, millis(response - start) - send);
        return new ExchangeTimes(isoMillis(exchange.startEpochMillis()), send,
                Math.max(0, wait), total - send - Math.max(0, wait));
    }

    /** An instant as HAR and the JSON lines write it: "2026-11-24T08:02:11.530Z". */
    public static String isoMillis(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    public long total() {
        return sendMillis + waitMillis + receiveMillis;
    }

    private static long millis(long nanos) {
        return Math.max(0, Math.round(nanos / 1_000_000.0));
    }
}
