package dev.httptap.sink;

import dev.httptap.event.Blocked;
import dev.httptap.event.EgressListener;
import dev.httptap.event.ExchangeClock;
import dev.httptap.log.TerminalText;
import java.io.PrintStream;

/**
 * Says once per destination and protocol what the egress policy blocked: a red line among the exchange
 * lines, naming the rule that decided, and how the command was refused when it was not a plain RST,
 * <pre>
 * &lt;--- BLOCKED host.httptap.local:8001 (no --allow matches)
 * &lt;--- BLOCKED other.test:8443 (--deny other.test; TLS alert access_denied)
 * &lt;--- BLOCKED 169.254.77.65:9999 (no --allow matches; UDP, ICMP port unreachable)
 * </pre>
 * and, with --dump-jsonl, a record of its own:
 * <pre>
 * {"type":"blocked","startedDateTime":"...","destination":"other.test:8443","protocol":"tls",
 *  "rule":"--deny other.test","refusal":"TLS alert access_denied"}
 * </pre>
 * The client's retries are one report. --filter, which chooses exchanges, does not apply.
 */
public final class BlockedReport implements EgressListener {
    private final Palette palette;
    private final ServerReport report;

    public BlockedReport(PrintStream out, boolean colour, JsonLinesWriter jsonLines, ExchangeClock clock) {
        this.palette = new Palette(colour);
        this.report = new ServerReport(out, jsonLines, clock);
    }

    @Override
    public void onBlocked(Blocked blocked) {
        String line = palette.failure("<--- BLOCKED " + TerminalText.safe(blocked.destination()) + " ("
                + TerminalText.safe(blocked.rule()) + how(blocked) + ")");
        report.once(blocked.protocol() + " " + blocked.destination(), line, "blocked", "destination",
                blocked.destination(), "protocol", blocked.protocol(), "rule", blocked.rule(), "refusal", blocked.refusal());
    }

    /** Nothing for the usual refusal of a TCP connection, a closed port's RST. */
    private static String how(Blocked blocked) {
        return switch (blocked.protocol()) {
            case "tcp" -> blocked.refusal().equals("connection reset") ? "" : "; " + blocked.refusal();
            case "udp" -> "; UDP, " + blocked.refusal();
            case "dns" -> "; DNS, " + blocked.refusal();
            default -> "; " + blocked.refusal();
        };
    }
}
