package dev.httptap.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ExchangeFilterTest {
    private static Exchange exchange(String method, String host, Integer status) {
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("10.0.0.9", 80));
        Exchange exchange = new Exchange(new ConnectionInfo(flow, flow.server(), "http"),
                new RequestHead(method, "/x", "HTTP/1.1", Headers.of("Host", host)), 0, 0);
        if (status != null) {
            exchange.recordResponse(new ResponseHead(status, "", "HTTP/1.1", Headers.EMPTY), 1);
            exchange.finish(Outcome.COMPLETE, 2);
        }
        return exchange;
    }

    @Test
    void hostWildcardMatchesSubdomainsOnly() {
        ExchangeFilter filter = ExchangeFilter.parse("host=*.example.com");
        assertTrue(filter.matches(exchange("GET", "api.example.com", 200)));
        assertTrue(filter.matches(exchange("GET", "API.Example.com:8080", 200)));
        assertFalse(filter.matches(exchange("GET", "example.com", 200)));
        assertFalse(filter.matches(exchange("GET", "example.com.evil.net", 200)));
    }

    @Test
    void hostWithPortMatchesTheAuthority() {
        ExchangeFilter filter = ExchangeFilter.parse("host=localhost:8000");
        assertTrue(filter.matches(exchange("GET", "localhost:8000", 200)));
        assertFalse(filter.matches(exchange("GET", "localhost:9000", 200)));
    }

    @Test
    void termsAreAndedAndAlternativesOred() {
        ExchangeFilter filter = ExchangeFilter.parse("method=post|PUT, status=4xx");
        assertTrue(filter.matches(exchange("POST", "h", 404)));
        assertTrue(filter.matches(exchange("PUT", "h", 400)));
        assertFalse(filter.matches(exchange("POST", "h", 200)));
        assertFalse(filter.matches(exchange("GET", "h", 404)));
    }

    @Test
    void statusIsUnknownWhileWaitingAndNoMatchWithoutAResponse() {
        ExchangeFilter filter = ExchangeFilter.parse("status=503");
        Exchange waiting = exchange("GET", "h", null);
        assertTrue(filter.mayMatch(waiting));
        assertFalse(filter.matches(waiting));
        waiting.finish(Outcome.NO_RESPONSE, 3);
        assertFalse(filter.mayMatch(waiting));
        assertTrue(filter.matches(exchange("GET", "h", 503)));
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertEquals("--filter 'colour=red': unknown key 'colour' (use host, method or status)",
                assertThrows(IllegalArgumentException.class, () -> ExchangeFilter.parse("colour=red")).getMessage());
        assertEquals("--filter 'status=4x': status '4x' is neither a code (404) nor a class (4xx)",
                assertThrows(IllegalArgumentException.class, () -> ExchangeFilter.parse("status=4x")).getMessage());
        assertEquals("--filter 'method': 'method' is not key=value",
                assertThrows(IllegalArgumentException.class, () -> ExchangeFilter.parse("method")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExchangeFilter.parse("method=GET,"));
        assertThrows(IllegalArgumentException.class, () -> ExchangeFilter.parse("host=a b"));
    }

    /** A listener behind a filter heard the exchange's progress: it hears that the exchange went, too. */
    @Test
    void aFilteredListenerTellsWhatItDropsSoThatNothingIsKeptForIt() {
        RecordingListener recording = new RecordingListener();
        FilteredListener filtered = new FilteredListener(ExchangeFilter.parse("status=5xx"), recording);
        for (int status : new int[] {200, 503}) {
            Exchange exchange = exchange("GET", "h" + status + ".example", null);
            filtered.onRequestHead(exchange);
            exchange.recordResponse(new ResponseHead(status, "", "HTTP/1.1", Headers.EMPTY), 1);
            exchange.finish(Outcome.COMPLETE, 2);
            filtered.onExchangeFinished(exchange);
        }

        assertEquals(java.util.List.of("request GET /x", "dropped GET http://h200.example/x", "request GET /x",
                "finished GET http://h503.example/x 503 COMPLETE 0/0"), recording.events);
    }
}
