package dev.httptap.sink;

import dev.httptap.event.ExchangeClock;
import dev.httptap.log.TerminalText;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.stack.FlowId;
import java.io.PrintStream;

/**
 * Says once per server that its TLS connections are relayed untouched, so none of its exchanges will show:
 * a yellow line among the exchange lines,
 * <pre>
 * &lt;--- PASSTHROUGH pinned.test:8443: the client does not trust httptap's CA
 * &lt;--- PASSTHROUGH pinned.test:8443 (--passthrough)
 * &lt;--- PASSTHROUGH mtls.test:443 (the server asks for a client certificate)
 * </pre>
 * and, with --dump-jsonl, a record of its own:
 * <pre>
 * {"type":"passthrough","startedDateTime":"2026-12-04T06:10:00.000Z","server":"pinned.test:8443",
 *  "cause":"UNTRUSTED_CA","reason":"the client does not trust httptap's CA"}
 * </pre>
 * ({@code cause} {@code PASSTHROUGH_OPTION}, reason "--passthrough", for the option; {@code CLIENT_CERTIFICATE}
 * for a server asking for a client certificate; {@code NO_SHARED_CIPHER_SUITE} for a client offering only
 * suites httptap's TLS lacks). Connections racing
 * to the same server are one report. --filter, which chooses exchanges, does not apply.
 */
public final class PassThroughReport implements UpstreamObserver {
    /** Servers remembered as reported; beyond this many, each connection is reported (memory stays bounded). */
    static final int MAX_SERVERS = ServerReport.MAX_SERVERS;

    private final Palette palette;
    private final ServerReport report;

    public PassThroughReport(PrintStream out, boolean colour, JsonLinesWriter jsonLines, ExchangeClock clock) {
        this.palette = new Palette(colour);
        this.report = new ServerReport(out, jsonLines, clock);
    }

    @Override
    public void onPassThrough(FlowId flow, String server, PassThroughCause cause) {
        String line = palette.note("<--- PASSTHROUGH " + TerminalText.safe(server)
                + (cause == PassThroughCause.UNTRUSTED_CA ? ": " + cause.words() : " (" + cause.words() + ")"));
        report.once(server, line, "passthrough", "server", server, "cause", cause.name(), "reason", cause.words());
    }
}
