package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.ExchangeClock;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassThroughReportTest {
    private static final FlowId FIRST = flow(40000);
    private static final FlowId SECOND = flow(40002);
    private static final ExchangeClock CLOCK = Exchanges.clock(0);

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ByteArrayOutputStream jsonLines = new ByteArrayOutputStream();

    private PassThroughReport report(boolean colour, boolean withJson) {
        return new PassThroughReport(new PrintStream(terminal, true, StandardCharsets.UTF_8), colour,
                withJson ? new JsonLinesWriter(jsonLines, true, CLOCK) : null, CLOCK);
    }

    @Test
    void twoConnectionsRefusingTheCaForOneServerAreOneLineAndOneRecord() {
        PassThroughReport report = report(false, true);
        report.onPassThrough(FIRST, "pinned.test:8443", PassThroughCause.UNTRUSTED_CA);
        report.onPassThrough(SECOND, "pinned.test:8443", PassThroughCause.UNTRUSTED_CA);

        assertEquals("<--- PASSTHROUGH pinned.test:8443: the client does not trust httptap's CA\n", text(terminal));
        assertEquals("{\"type\":\"passthrough\",\"startedDateTime\":\"" + ExchangeTimes.isoMillis(Exchanges.START_MILLIS)
                + "\",\"server\":\"pinned.test:8443\",\"cause\":\"UNTRUSTED_CA\","
                + "\"reason\":\"the client does not trust httptap's CA\"}\n", text(jsonLines));
    }

    @Test
    void thePatternsCauseIsSaidInBracketsAndEachServerOnce() {
        PassThroughReport report = report(false, false);
        report.onPassThrough(FIRST, "a.example.com:443", PassThroughCause.PASSTHROUGH_OPTION);
        report.onPassThrough(SECOND, "b.example.com:443", PassThroughCause.PASSTHROUGH_OPTION);
        report.onPassThrough(SECOND, "a.example.com:443", PassThroughCause.PASSTHROUGH_OPTION);

        assertEquals("<--- PASSTHROUGH a.example.com:443 (--passthrough)\n"
                + "<--- PASSTHROUGH b.example.com:443 (--passthrough)\n", text(terminal));
    }

    @Test
    void aServerAskingForAClientCertificateIsSaidInBracketsWithItsCauseInTheRecord() {
        report(false, true).onPassThrough(FIRST, "mtls.test:443", PassThroughCause.CLIENT_CERTIFICATE);

        assertEquals("<--- PASSTHROUGH mtls.test:443 (the server asks for a client certificate)\n", text(terminal));
        assertEquals("{\"type\":\"passthrough\",\"startedDateTime\":\"" + ExchangeTimes.isoMillis(Exchanges.START_MILLIS)
                + "\",\"server\":\"mtls.test:443\",\"cause\":\"CLIENT_CERTIFICATE\","
                + "\"reason\":\"the server asks for a client certificate\"}\n", text(jsonLines));
    }

    @Test
    void inColourTheLineIsANotesYellowAndControlCharactersAreEscaped() {
        report(true, false).onPassThrough(FIRST, "evil\u001b[2J.test:443", PassThroughCause.UNTRUSTED_CA);

        assertEquals("\u001b[33m<--- PASSTHROUGH evil\\x1b[2J.test:443: the client does not trust httptap's CA\u001b[0m\n",
                text(terminal));
    }

    @Test
    void pastItsMemoryEveryConnectionIsReportedRatherThanNone() {
        PassThroughReport report = report(false, false);
        for (int i = 0; i < PassThroughReport.MAX_SERVERS; i++) {
            report.onPassThrough(FIRST, "s" + i + ".test:443", PassThroughCause.PASSTHROUGH_OPTION);
        }
        terminal.reset();
        report.onPassThrough(FIRST, "late.test:443", PassThroughCause.PASSTHROUGH_OPTION);
        report.onPassThrough(SECOND, "late.test:443", PassThroughCause.PASSTHROUGH_OPTION);

        assertEquals(2, text(terminal).lines().count());
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static FlowId flow(int port) {
        return new FlowId(new InetSocketAddress("10.1.1.100", port), new InetSocketAddress("192.0.2.10", 8443));
    }
}
