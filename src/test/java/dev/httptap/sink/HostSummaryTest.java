package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.Blocked;
import dev.httptap.event.Exchange;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import org.junit.jupiter.api.Test;

class HostSummaryTest {
    private static Exchange exchange(String host, int status, Outcome outcome, long sent, long received) {
        Exchange exchange = Exchanges.started(Exchanges.connection(40000), "GET", "/", Headers.of("Host", host));
        Exchanges.respond(exchange, status, "", Headers.EMPTY);
        exchange.addRequestBodyBytes(sent);
        exchange.addResponseBodyBytes(received);
        Exchanges.finish(exchange, outcome);
        return exchange;
    }

    @Test
    void tableCountsPerHostInAlphabeticalOrder() {
        HostSummary summary = new HostSummary();
        summary.onExchangeFinished(exchange("b.example:8000", 200, Outcome.COMPLETE, 0, 1256));
        summary.onExchangeFinished(exchange("a.example:80", 301, Outcome.COMPLETE, 0, 0));
        summary.onExchangeFinished(exchange("b.example:8000", 404, Outcome.COMPLETE, 12, 20));
        summary.onExchangeFinished(exchange("b.example:8000", 200, Outcome.CLOSED_MID_RESPONSE, 0, 100));
        summary.onExchangeFinished(exchange("a.example:80", 503, Outcome.COMPLETE, 5, 7));
        summary.onBlocked(new Blocked("c.example:443", "tcp", "no --allow matches", "connection reset"));
        summary.onBlocked(new Blocked("c.example:443", "tls", "--deny c.example", "TLS alert access_denied"));

        assertEquals(String.join(System.lineSeparator(),
                "HOST            REQUESTS    2XX    3XX    4XX    5XX    CUT  BLOCKED    BYTES SENT    BYTES RECV",
                "a.example              2      0      1      0      1      0        0             5             7",
                "b.example:8000         3      1      0      1      0      1        0            12          1376",
                "c.example:443          0      0      0      0      0      0        2             0             0",
                ""), summary.render());
    }

    @Test
    void nothingSeenIsOneLine() {
        assertEquals("httptap summary: no HTTP exchanges\n", new HostSummary().render());
    }
}
