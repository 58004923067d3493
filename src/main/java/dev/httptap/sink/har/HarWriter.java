package dev.httptap.sink.har;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeFilter;
import dev.httptap.event.ExchangeListener;
import dev.httptap.log.Log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Records exchanges as a HAR 1.2 file, written as they finish so that little is lost if httptap is killed,
 * in the order the requests started: an entry waits for the exchanges that started before it. Bodies are
 * kept in temporary files, at most {@code bodyLimit} bytes each. {@link #close()} writes what is still
 * running and ends the JSON; it is safe to call twice (from the run's end and from a shutdown hook).
 * One lock guards everything, since connections report on their own threads.
 */
public final class HarWriter implements ExchangeListener, AutoCloseable {
    private final JsonGenerator json;
    private final OutputStream out;
    private final HarEntryWriter entries;
    private final Path bodyDirectory;
    private final long bodyLimit;
    private final ExchangeFilter filter;
    private final ExchangeClock clock;
    private final ConnectionTimings timings;
    private final Map<Exchange, Recording> recordings = new IdentityHashMap<>();
    private final Deque<Recording> inStartOrder = new ArrayDeque<>();
    private final Map<ConnectionInfo, String> connectionIds = new WeakHashMap<>();
    private int nextConnectionId;
    private boolean closed;
    /** A write failed: reported once, nothing more is written, the exchanges are still let go. */
    private boolean failed;

    private HarWriter(JsonGenerator json, OutputStream out, Path bodyDirectory, long bodyLimit, ExchangeFilter filter,
            ExchangeClock clock,
            ConnectionTimings timings) {
        this.timings = timings;
        this.json = json;
        this.out = out;
        this.entries = new HarEntryWriter(json, bodyLimit);
        this.bodyDirectory = bodyDirectory;
        this.bodyLimit = bodyLimit;
        this.filter = filter;
        this.clock = clock;
    }

    /**
     * Starts the HAR for {@code out} (which it will close); its opening is written with the first entry or at
     * close. Bodies wait in {@code bodyDirectory}; {@code timings} tells how each connection opened.
     */
    public static HarWriter open(OutputStream out, String creatorVersion, Path bodyDirectory, long bodyLimit,
            ExchangeFilter filter, ExchangeClock clock, ConnectionTimings timings) throws IOException {
        JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeObjectFieldStart("log");
        json.writeStringField("version", "1.2");
        json.writeObjectFieldStart("creator");
        json.writeStringField("name", "httptap");
        json.writeStringField("version", creatorVersion);
        json.writeEndObject();
        json.writeArrayFieldStart("entries");
        // Not flushed: a file that takes no bytes (a full disk, a closed pipe) is then reported by the first
        // write like any later failure, and the command runs on.
        return new HarWriter(json, out, bodyDirectory, bodyLimit, filter, clock, timings);
    }

    public static HarWriter open(Path file, String creatorVersion, Path bodyDirectory, long bodyLimit,
            ExchangeFilter filter, ConnectionTimings timings) throws IOException {
        return open(Files.newOutputStream(file), creatorVersion, bodyDirectory, bodyLimit, filter, ExchangeClock.SYSTEM,
                timings);
    }

    @Override
    public synchronized void onRequestHead(Exchange exchange) {
        if (closed || failed || !filter.mayMatch(exchange)) {
            return;
        }
        Recording recording = new Recording(exchange, connectionId(exchange.connection()),
                timings.claim(exchange.connection().flow()),
                new BodyRecorder(bodyDirectory, bodyLimit), new BodyRecorder(bodyDirectory, bodyLimit));
        recordings.put(exchange, recording);
        inStartOrder.addLast(recording);
    }

    @Override
    public synchronized void onRequestBody(Exchange exchange, ByteBuffer data) {
        Recording recording = recordings.get(exchange);
        if (recording != null) {
            recording.requestBody.append(data);
        }
    }

    @Override
    public synchronized void onResponseBody(Exchange exchange, ByteBuffer data) {
        Recording recording = recordings.get(exchange);
        if (recording != null) {
            recording.responseBody.append(data);
        }
    }

    @Override
    public synchronized void onExchangeFinished(Exchange exchange) {
        Recording recording = recordings.get(exchange);
        if (recording == null) {
            return;
        }
        recording.finished = true;
        recording.wanted = filter.matches(exchange);
        while (!inStartOrder.isEmpty() && inStartOrder.peekFirst().finished) {
            write(inStartOrder.removeFirst());
        }
    }

    /** Writes the exchanges still running as they are now, ends the JSON and closes the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        while (!inStartOrder.isEmpty()) {
            Recording recording = inStartOrder.removeFirst();
            recording.wanted = recording.finished ? recording.wanted : filter.mayMatch(recording.exchange);
            write(recording);
        }
        closed = true;
        try (OutputStream file = out) {
            if (!failed) {
                json.writeEndArray();
                json.writeEndObject();
                json.writeEndObject();
                json.close();
            }
        } catch (IOException e) {
            reportFailure("cannot finish the HAR file: %s", e);
        }
    }

    private void write(Recording recording) {
        recordings.remove(recording.exchange);
        try (BodyRecorder request = recording.requestBody; BodyRecorder response = recording.responseBody) {
            if (recording.wanted && !failed) {
                entries.write(recording.exchange, request, response, recording.connectionId, recording.opening,
                        clock.nanoTime());
                json.flush();
            }
        } catch (IOException e) {
            reportFailure("cannot write the HAR file, no more exchanges will be recorded: %s", e);
        }
    }

    private void reportFailure(String format, IOException e) {
        if (!failed) {
            failed = true;
            Log.error(format, e.getMessage());
        }
    }

    private String connectionId(ConnectionInfo connection) {
        return connectionIds.computeIfAbsent(connection, key -> Integer.toString(++nextConnectionId));
    }

    /** One exchange on its way to the file. */
    private static final class Recording {
        final Exchange exchange;
        final String connectionId;
        final ConnectionTimings.Opening opening;
        final BodyRecorder requestBody;
        final BodyRecorder responseBody;
        boolean finished;
        boolean wanted;

        Recording(Exchange exchange, String connectionId, ConnectionTimings.Opening opening, BodyRecorder requestBody,
                BodyRecorder responseBody) {
            this.exchange = exchange;
            this.opening = opening;
            this.connectionId = connectionId;
            this.requestBody = requestBody;
            this.responseBody = responseBody;
        }
    }
}
