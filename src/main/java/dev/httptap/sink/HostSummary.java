package dev.httptap.sink;

import dev.httptap.event.Blocked;
import dev.httptap.event.EgressListener;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Url;
import dev.httptap.log.TerminalText;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts finished exchanges per host (the URL's host:port) for the table printed at exit: requests,
 * final statuses by class, exchanges cut short (counted there whatever their status), connections (or
 * datagrams, DNS queries) the egress policy blocked, and body bytes each way (without headers or transfer
 * framing):
 * <pre>
 * HOST                     REQUESTS  2XX  3XX  4XX  5XX  CUT  BLOCKED  BYTES SENT  BYTES RECV
 * host.httptap.local:8000         3    2    1    0    0    0        0          12        1256
 * </pre>
 */
public final class HostSummary implements ExchangeListener, EgressListener {
    private final Map<String, Tally> hosts = new TreeMap<>();

    @Override
    public synchronized void onExchangeFinished(Exchange exchange) {
        Tally tally = hosts.computeIfAbsent(TerminalText.safe(Url.parse(exchange.url()).authority()), host -> new Tally());
        tally.requests++;
        if (exchange.outcome().isCutShort()) {
            tally.cutShort++;
        } else {
            exchange.response().ifPresent(response -> {
                int statusClass = response.status() / 100;
                if (statusClass >= 2 && statusClass <= 5) {
                    tally.byClass[statusClass - 2]++;
                }
            });
        }
        tally.sent += exchange.requestBodyBytes();
        tally.received += exchange.responseBodyBytes();
    }

    @Override
    public synchronized void onBlocked(Blocked blocked) {
        hosts.computeIfAbsent(TerminalText.safe(blocked.destination()), host -> new Tally()).blocked++;
    }

    /** The table, hosts in alphabetical order, or a single line when nothing was seen. */
    public synchronized String render() {
        if (hosts.isEmpty()) {
            return "httptap summary: no HTTP exchanges\n";
        }
        int hostWidth = Math.max("HOST".length(), hosts.keySet().stream().mapToInt(String::length).max().orElse(0));
        String format = "%-" + hostWidth + "s  %8s  %5s  %5s  %5s  %5s  %5s  %7s  %12s  %12s%n";
        StringBuilder table = new StringBuilder();
        table.append(String.format(format, "HOST", "REQUESTS", "2XX", "3XX", "4XX", "5XX", "CUT", "BLOCKED",
                "BYTES SENT", "BYTES RECV"));
        hosts.forEach((host, tally) -> table.append(String.format(format, host, tally.requests,
                tally.byClass[0], tally.byClass[1], tally.byClass[2], tally.byClass[3], tally.cutShort,
                tally.blocked, tally.sent, tally.received)));
        return table.toString();
    }

    private static final class Tally {
        long requests;
        final long[] byClass = new long[4];
        long cutShort;
        long blocked;
        long sent;
        long received;
    }
}
