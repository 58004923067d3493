package dev.httptap.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import dev.httptap.event.ResponseHead;
import dev.httptap.log.Log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Writes one JSON object per finished exchange, one per line, flushed at once (for {@code tail -f} and
 * {@code jq}): type "http", startedDateTime, method, url, httpVersion, status (null without a response),
 * statusText, outcome, notFollowed (why an UNPARSEABLE one was not followed), notes (what was
 * shown cut or guessed), request and response headers in wire order, body sizes and times in milliseconds.
 * The body sizes are as sent ({@code requestBodySize}, {@code responseBodySize}: without transfer framing,
 * still content-coded); {@code responseContentSize} is the response body decoded from its Content-Encoding
 * (HAR's {@code content.size}), or as sent with {@code responseNotDecoded} saying why when it could not be.
 * {@link DnsJsonLines} writes the DNS queries' lines (type "dns"), {@link PassThroughReport} the servers
 * passed through (type "passthrough") and {@link BlockedReport} what the egress policy blocked (type
 * "blocked") through the same writer.
 */
public final class JsonLinesWriter implements ExchangeListener, AutoCloseable {
    /** Made when this class is first used, so that runs without --dump-jsonl load no Jackson. */
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final boolean closeOut;
    private final ExchangeClock clock;
    private boolean failed;

    /** A generator for one line into {@code buffer}: the other writers of lines share this class's factory. */
    static JsonGenerator newGenerator(OutputStream buffer) throws IOException {
        return JSON.createGenerator(buffer, JsonEncoding.UTF8);
    }

    /** {@code closeOut}: false for standard output, which others still use. */
    public JsonLinesWriter(OutputStream out, boolean closeOut, ExchangeClock clock) {
        this.out = out;
        this.closeOut = closeOut;
        this.clock = clock;
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        try {
            write(line(exchange));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory JSON cannot fail", e);
        }
    }

    /** Writes one whole line and flushes it; lines from several threads never mix. */
    void write(byte[] line) {
        synchronized (out) {
            if (failed) {
                return;
            }
            try {
                out.write(line);
                out.flush();
                // Standard output is a PrintStream, which keeps its failures (a closed pipe) to itself.
                if (out instanceof PrintStream stream && stream.checkError()) {
                    throw new IOException("standard output is closed or failing");
                }
            } catch (IOException e) {
                failed = true;
                Log.error("cannot write the JSON lines, no more will be written: %s", e.getMessage());
            }
        }
    }

    private byte[] line(Exchange exchange) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        ExchangeTimes times = ExchangeTimes.of(exchange, clock.nanoTime());
        ResponseHead response = exchange.response().orElse(null);
        try (JsonGenerator json = newGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("type", "http");
            json.writeStringField("startedDateTime", times.started());
            json.writeStringField("method", exchange.request().method());
            json.writeStringField("url", exchange.url());
            json.writeStringField("httpVersion", exchange.request().version());
            if (response == null) {
                json.writeNullField("status");
            } else {
                json.writeNumberField("status", response.status());
                json.writeStringField("statusText", response.reason());
            }
            json.writeStringField("outcome", exchange.outcome().name());
            if (exchange.notFollowedReason().isPresent()) {
                json.writeStringField("notFollowed", exchange.notFollowedReason().get());
            }
            if (!exchange.notes().isEmpty()) {
                json.writeArrayFieldStart("notes");
                for (String note : exchange.notes()) {
                    json.writeString(note);
                }
                json.writeEndArray();
            }
            json.writeNumberField("requestBodySize", exchange.requestBodyBytes());
            json.writeNumberField("responseBodySize", exchange.responseBodyBytes());
            DecodedLength decoded = exchange.decodedResponseLength().orElse(DecodedLength.of(exchange.responseBodyBytes()));
            json.writeNumberField("responseContentSize", decoded.isKnown() ? decoded.bytes() : exchange.responseBodyBytes());
            if (decoded.problem().isPresent()) {
                json.writeStringField("responseNotDecoded", decoded.problem().get());
            }
            json.writeNumberField("waitMillis", times.waitMillis());
            json.writeNumberField("receiveMillis", times.receiveMillis());
            json.writeNumberField("totalMillis", times.total());
            writeHeaders(json, "requestHeaders", exchange.request().headers());
            writeHeaders(json, "responseHeaders", response == null ? Headers.EMPTY : response.headers());
            json.writeEndObject();
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private static void writeHeaders(JsonGenerator json, String field, Headers headers) throws IOException {
        json.writeArrayFieldStart(field);
        for (Header header : headers) {
            json.writeStartObject();
            json.writeStringField("name", header.name());
            json.writeStringField("value", header.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                if (closeOut) {
                    out.close();
                } else {
                    out.flush();
                }
            } catch (IOException e) {
                if (!failed) {
                    Log.error("cannot finish the JSON lines: %s", e.getMessage());
                }
            }
        }
    }
}
