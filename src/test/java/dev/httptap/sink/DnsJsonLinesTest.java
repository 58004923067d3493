package dev.httptap.sink;

import static dev.httptap.sink.DnsPrinterTest.FLOW;
import static dev.httptap.sink.DnsPrinterTest.HOST_ANSWER;
import static dev.httptap.sink.DnsPrinterTest.HOST_QUERY;
import static dev.httptap.sink.DnsPrinterTest.NXDOMAIN_AAAA;
import static dev.httptap.sink.DnsPrinterTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.ExchangeClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden JSON lines of DNS queries, from the DNS messages the relay reports. */
class DnsJsonLinesTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final SteppingClock clock = new SteppingClock();
    private final DnsJsonLines lines = new DnsJsonLines(new JsonLinesWriter(output, true, ExchangeClock.SYSTEM), clock);

    @Test
    void anAnsweredQueryIsOneLineDatedWhenItWasAsked() {
        lines.onQuery(FLOW, hex(HOST_QUERY));
        clock.advanceMillis(3);
        lines.onAnswer(FLOW, hex(HOST_ANSWER));
        assertEquals("""
                {"type":"dns","startedDateTime":"2026-01-02T03:04:05.678Z","name":"host.httptap.local","qtype":"A",\
                "outcome":"ANSWERED","rcode":"NOERROR","answers":[{"name":"host.httptap.local","type":"A","ttl":60,\
                "data":"169.254.77.65"}],"totalMillis":3}
                """, written());
    }

    @Test
    void errorsAndTimeoutsAreLinesToo() {
        lines.onAnswer(FLOW, hex(NXDOMAIN_AAAA)); // its query was not seen: dated now
        lines.onQuery(FLOW, hex(HOST_QUERY));
        clock.advanceMillis(5000);
        lines.onNoAnswer(FLOW, hex(HOST_QUERY));
        assertEquals("""
                {"type":"dns","startedDateTime":"2026-01-02T03:04:05.678Z","name":"example.com","qtype":"AAAA",\
                "outcome":"ANSWERED","rcode":"NXDOMAIN","answers":[],"totalMillis":0}
                {"type":"dns","startedDateTime":"2026-01-02T03:04:05.678Z","name":"host.httptap.local","qtype":"A",\
                "outcome":"TIMEOUT","rcode":null,"answers":[],"totalMillis":5000}
                """, written());
    }

    @Test
    void garbageIsNotWrittenAndDoesNotThrow() {
        lines.onQuery(FLOW, hex("1234"));
        lines.onAnswer(FLOW, hex(HOST_ANSWER.replace("0004 a9fe4d41", "0004 a9fe")));
        lines.onNoAnswer(FLOW, hex("1234 0100 0001"));
        assertEquals("", written());
    }

    private String written() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Wall clock fixed at the sink tests' start time (only its monotonic time moves, when told). */
    private static final class SteppingClock implements ExchangeClock {
        private long nanos = Exchanges.START_NANOS;

        void advanceMillis(long millis) {
            nanos += millis * 1_000_000;
        }

        @Override
        public long epochMillis() {
            return Exchanges.START_MILLIS;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }
}
