package dev.httptap.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.event.ExchangeClock;
import dev.httptap.log.TerminalText;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says once per server that its TLS connections are relayed untouched, so none of its exchanges will show:
 * a yellow line among the exchange lines,
 * <pre>
 * &lt;--- PASSTHROUGH pinned.test:8443: the client does not trust httptap's CA
 * &lt;--- PASSTHROUGH pinned.test:8443 (--passthrough)
 * </pre>
 * and, with --dump-jsonl, a record of its own:
 * <pre>
 * {"type":"passthrough","startedDateTime":"2026-12-04T06:10:00.000Z","server":"pinned.test:8443",
 *  "cause":"UNTRUSTED_CA","reason":"the client does not trust httptap's CA"}
 * </pre>
 * ({@code cause} {@code PASSTHROUGH_OPTION}, reason "--passthrough", for the option). Connections racing
 * to the same server are one report. --filter, which chooses exchanges, does not apply.
 */
public final class PassThroughReport implements UpstreamObserver {
    /** Servers remembered as reported; beyond this many, each connection is reported (memory stays bounded). */
    static final int MAX_SERVERS = 4096;
    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Palette palette;
    /** Null without --dump-jsonl. */
    private final JsonLinesWriter jsonLines;
    private final ExchangeClock clock;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public PassThroughReport(PrintStream out, boolean colour, JsonLinesWriter jsonLines, ExchangeClock clock) {
        this.out = out;
        this.palette = new Palette(colour);
        this.jsonLines = jsonLines;
        this.clock = clock;
    }

    @Override
    public void onPassThrough(FlowId flow, String server, PassThroughCause cause) {
        if (reported.contains(server) || (reported.size() < MAX_SERVERS && !reported.add(server))) {
            return;
        }
        String line = palette.note("<--- PASSTHROUGH " + TerminalText.safe(server)
                + (cause == PassThroughCause.PASSTHROUGH_OPTION ? " (" + cause.words() + ")" : ": " + cause.words()));
        synchronized (out) {
            out.print(line);
            out.flush();
        }
        if (jsonLines != null) {
            jsonLines.write(record(server, cause));
        }
    }

    private byte[] record(String server, PassThroughCause cause) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("type", "passthrough");
            json.writeStringField("startedDateTime", ExchangeTimes.isoMillis(clock.epochMillis()));
            json.writeStringField("server", server);
            json.writeStringField("cause", cause.name());
            json.writeStringField("reason", cause.words());
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory JSON cannot fail", e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }
}
