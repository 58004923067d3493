package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.Blocked;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Reached;
import dev.httptap.policy.PolicyFile;
import dev.httptap.policy.Rule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BLOCKED lines and records, and the audit, from egress events. */
class EgressReportsTest {
    private static final ExchangeClock CLOCK = new ExchangeClock() {
        @Override
        public long epochMillis() {
            return 1_796_371_200_000L; // 2026-12-04T08:00:00Z
        }

        @Override
        public long nanoTime() {
            return 0;
        }
    };

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final ByteArrayOutputStream jsonLines = new ByteArrayOutputStream();

    private BlockedReport report(boolean colour) {
        return new BlockedReport(new PrintStream(terminal, true, StandardCharsets.UTF_8), colour,
                new JsonLinesWriter(jsonLines, false, CLOCK), CLOCK);
    }

    @Test
    void oneLinePerDestinationAndProtocolWhateverTheRetries() {
        BlockedReport report = report(false);
        Blocked refused = new Blocked("host.httptap.local:8002", "tcp", "no --allow matches", "connection reset");
        report.onBlocked(refused);
        report.onBlocked(refused);
        report.onBlocked(new Blocked("other.test:8443", "tls", "--deny other.test", "TLS alert access_denied"));
        report.onBlocked(new Blocked("host.httptap.local:8002", "udp", "no --allow matches", "ICMP port unreachable"));
        report.onBlocked(new Blocked("evil.test", "dns", "--deny-dns: no rule allows the name", "NXDOMAIN"));

        assertEquals("""
                <--- BLOCKED host.httptap.local:8002 (no --allow matches)
                <--- BLOCKED other.test:8443 (--deny other.test; TLS alert access_denied)
                <--- BLOCKED host.httptap.local:8002 (no --allow matches; UDP, ICMP port unreachable)
                <--- BLOCKED evil.test (--deny-dns: no rule allows the name; DNS, NXDOMAIN)
                """, terminal.toString(StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"blocked\",\"startedDateTime\":\"2026-12-04T08:00:00.000Z\","
                + "\"destination\":\"host.httptap.local:8002\",\"protocol\":\"tcp\",\"rule\":\"no --allow matches\","
                + "\"refusal\":\"connection reset\"}",
                jsonLines.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
        assertEquals(4, jsonLines.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void aBlockedLineIsRedAsTheErrorLines() {
        report(true).onBlocked(new Blocked("a.test:1", "tcp", "no --allow matches", "connection reset"));
        assertEquals("\u001b[31m<--- BLOCKED a.test:1 (no --allow matches)\u001b[0m\n", terminal.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theAuditIsAPolicyFileAllowingWhatWasReached() {
        AuditReport audit = new AuditReport();
        audit.onReached(new Reached("registry.test:443", "tcp", 100, 2000));
        audit.onReached(new Reached("registry.test:443", "tcp", 50, 10));
        audit.onReached(new Reached("[fd77:6874:7470::a9fe:4d41]:9999", "udp", 12, 0));
        audit.onReached(new Reached("[fd77:6874:7470::a9fe:4d41]:9999", "udp", 0, 12));
        audit.onReached(new Reached("bad\u001bname:443", "tcp", 1, 1));
        String text = audit.render();

        assertEquals("""
                # httptap --audit: the destinations reached; use as --policy FILE to allow only them
                allow [fd77:6874:7470::a9fe:4d41]:9999  # udp: 1 datagram, 12 bytes sent, 12 received
                # allow bad?name:443                      # tcp: 1 connection, 1 bytes sent, 1 received
                allow registry.test:443                 # tcp: 2 connections, 150 bytes sent, 2010 received
                """, text);
        List<Rule> rules = PolicyFile.parse("audit", text.lines().toList());
        assertEquals(List.of("audit:2 allow [fd77:6874:7470::a9fe:4d41]:9999", "audit:4 allow registry.test:443"),
                rules.stream().map(Rule::origin).toList());
    }

    @Test
    void anEmptyAuditSaysSo() {
        assertEquals("# httptap --audit: the destinations reached; use as --policy FILE to allow only them\n# (none)\n",
                new AuditReport().render());
    }
}
