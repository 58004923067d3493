package dev.httptap.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.dns.DnsFormatException;
import dev.httptap.dns.DnsMessage;
import dev.httptap.dns.DnsQuestion;
import dev.httptap.dns.DnsRecord;
import dev.httptap.dns.DnsResponse;
import dev.httptap.dns.DnsType;
import dev.httptap.event.ExchangeClock;
import dev.httptap.log.Log;
import dev.httptap.relay.DnsObserver;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DNS half of --dump-jsonl: one JSON object per query, written when it is answered or times out,
 * on the same stream as the exchange lines:
 * <pre>
 * {"type":"dns","startedDateTime":"2026-11-24T08:02:11.530Z","name":"host.httptap.local","qtype":"A",
 *  "outcome":"ANSWERED","rcode":"NOERROR","answers":[{"name":"host.httptap.local","type":"A","ttl":60,
 *  "data":"169.254.77.65"}],"totalMillis":1}
 * </pre>
 * A timed-out query has {@code "outcome":"TIMEOUT"} and a null rcode. The query is named by its first
 * question, as on the terminal. Messages that do not parse are noted in verbose mode and not written.
 */
public final class DnsJsonLines implements DnsObserver {
    /** Queries waiting for their answer, to date them; resolvers have a few in flight, so this is plenty. */
    static final int MAX_PENDING_QUERIES = 1024;

    private final JsonLinesWriter out;
    private final ExchangeClock clock;
    private final Map<QueryKey, QueryStart> pending = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<QueryKey, QueryStart> eldest) {
            return size() > MAX_PENDING_QUERIES;
        }
    };

    public DnsJsonLines(JsonLinesWriter out, ExchangeClock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public synchronized void onQuery(FlowId flow, ByteBuffer query) {
        try {
            DnsMessage message = DnsMessage.parse(query);
            pending.put(new QueryKey(flow, message.id()), new QueryStart(clock.epochMillis(), clock.nanoTime()));
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS query not recorded: %s", flow, e.getMessage());
        }
    }

    @Override
    public synchronized void onAnswer(FlowId flow, ByteBuffer answer) {
        try {
            DnsResponse response = DnsResponse.parse(answer);
            QueryStart start = started(flow, response.message());
            out.write(line(start, response.questions(), response.responseCode(), response.answers()));
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS answer not recorded: %s", flow, e.getMessage());
        }
    }

    @Override
    public synchronized void onNoAnswer(FlowId flow, ByteBuffer query) {
        try {
            DnsMessage message = DnsMessage.parse(query);
            out.write(line(started(flow, message), message.questions(), -1, List.of()));
        } catch (DnsFormatException e) {
            Log.verbose("%s: DNS timeout not recorded: %s", flow, e.getMessage());
        }
    }

    /** When the query was seen; now, for an answer to a query not seen (or forgotten). */
    private QueryStart started(FlowId flow, DnsMessage message) {
        QueryStart start = pending.remove(new QueryKey(flow, message.id()));
        return start != null ? start : new QueryStart(clock.epochMillis(), clock.nanoTime());
    }

    /** {@code responseCode} is -1 when no answer came. */
    private byte[] line(QueryStart start, List<DnsQuestion> questions, int responseCode, List<DnsRecord> answers) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JsonLinesWriter.newGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("type", "dns");
            json.writeStringField("startedDateTime", ExchangeTimes.isoMillis(start.epochMillis()));
            DnsQuestion question = questions.isEmpty() ? null : questions.get(0);
            json.writeStringField("name", question == null ? null : question.name().isEmpty() ? "." : question.name());
            json.writeStringField("qtype", question == null ? null : DnsType.name(question.type()));
            json.writeStringField("outcome", responseCode < 0 ? "TIMEOUT" : "ANSWERED");
            json.writeStringField("rcode", responseCode < 0 ? null : DnsType.responseCodeName(responseCode));
            json.writeArrayFieldStart("answers");
            for (DnsRecord record : answers) {
                json.writeStartObject();
                json.writeStringField("name", record.name());
                json.writeStringField("type", DnsType.name(record.type()));
                json.writeNumberField("ttl", record.ttl());
                json.writeStringField("data", record.data());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("totalMillis", Math.round((clock.nanoTime() - start.nanos()) / 1_000_000.0));
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory JSON cannot fail", e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private record QueryKey(FlowId flow, int id) {}

    private record QueryStart(long epochMillis, long nanos) {}
}
