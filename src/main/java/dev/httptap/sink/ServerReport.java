package dev.httptap.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.event.ExchangeClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is said of a server rather than of an exchange (PASSTHROUGH, BLOCKED): one line among the exchange
 * lines and, with --dump-jsonl, one record ({@code type}, {@code startedDateTime}, then the given string
 * fields, in order), once per server however many connections race to it.
 */
final class ServerReport {
    /** Servers remembered as reported; beyond this many, each is reported every time (memory stays bounded). */
    static final int MAX_SERVERS = 4096;

    private final PrintStream out;
    /** Null without --dump-jsonl. */
    private final JsonLinesWriter jsonLines;
    private final ExchangeClock clock;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    ServerReport(PrintStream out, JsonLinesWriter jsonLines, ExchangeClock clock) {
        this.out = out;
        this.jsonLines = jsonLines;
        this.clock = clock;
    }

    /**
     * Prints {@code line} (painted, ending in a newline) and writes the record of {@code type} with
     * {@code fields} (name, value, name, value...), unless {@code server} was reported before.
     */
    void once(String server, String line, String type, String... fields) {
        if (reported.contains(server) || (reported.size() < MAX_SERVERS && !reported.add(server))) {
            return;
        }
        synchronized (out) {
            out.print(line);
            out.flush();
        }
        if (jsonLines != null) {
            jsonLines.write(record(type, fields));
        }
    }

    private byte[] record(String type, String... fields) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JsonLinesWriter.newGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("type", type);
            json.writeStringField("startedDateTime", ExchangeTimes.isoMillis(clock.epochMillis()));
            for (int i = 0; i + 1 < fields.length; i += 2) {
                json.writeStringField(fields[i], fields[i + 1]);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory JSON cannot fail", e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }
}
