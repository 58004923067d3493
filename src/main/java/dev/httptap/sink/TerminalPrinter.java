package dev.httptap.sink;

import dev.httptap.body.BodyDecoder;
import dev.httptap.body.BodyRecorder;
import dev.httptap.body.DecodedBody;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import dev.httptap.event.ResponseHead;
import dev.httptap.log.TerminalText;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints each finished exchange as the original httptap does:
 * <pre>
 * ---&gt; GET http://host.httptap.local:8000/path
 * &lt;--- 200 http://host.httptap.local:8000/path (1256 bytes)
 * </pre>
 * The byte count is the response body's length decoded from its Content-Encoding, as the original counts it
 * (measured by {@link DecodedLengths}); one that cannot be decoded shows its length as sent and why.
 * An exchange cut short still prints its request, then {@code <--- 200 URL (N bytes, incomplete)} when the
 * response had begun, or {@code <--- (no response) URL}. An exchange httptap could not follow to its end
 * (bytes no parser, however lenient, can read) ends with {@code <--- ERROR URL: cannot follow the exchange: why},
 * or, when its response had begun, {@code <--- 200 URL (N bytes, incomplete: cannot follow the rest: why)};
 * what the lines leave out or had to guess (a head cut for display, a body framing guessed) is a
 * {@code <--- NOTE URL: what} line. The relay carries the bytes unchanged in every case.
 *
 * <p>With {@link PrintOptions#heads()} each line is followed by its header fields in wire order and spelling
 * ({@code > Name: value}, {@code < Name: value}); with {@link PrintOptions#bodies()}, by its body, decoded
 * (see {@link BodyFormatter}). Bodies are recorded as they stream, up to a bound (see {@link BodyDecoder}),
 * and dropped once printed.
 * A whole block is printed under the stream's lock, so blocks from different connections never interleave
 * (the stream's lock is also the one {@code Log} and {@link DnsPrinter} take); it is flushed through a
 * {@link RoundFlush}, so a loop printing many blocks per round flushes them together.
 */
public final class TerminalPrinter implements ExchangeListener {
    private final PrintStream out;
    private final PrintOptions options;
    private final Palette palette;
    private final BodyDecoder decoder;
    private final RoundFlush flush;
    private final Map<Exchange, CapturedBodies> bodies = new ConcurrentHashMap<>();
    private final boolean liveLines;
    /** With live lines: the request part of each exchange still running, printed early if it runs long. */
    private final Map<Exchange, RequestPart> running = new ConcurrentHashMap<>();

    /** An exchange's request line (and fields), made on its connection's thread. */
    private static final class RequestPart {
        final String text;
        final long dueNanos;
        /** Guarded by the stream's lock, where the choice between early and whole is made. */
        boolean printedEarly;

        RequestPart(String text, long dueNanos) {
            this.text = text;
            this.dueNanos = dueNanos;
        }
    }

    /** Just the two lines per exchange; {@code colour}: the CLI's call (a terminal, and NO_COLOR unset). */
    public TerminalPrinter(PrintStream out, boolean colour) {
        this(out, PrintOptions.linesOnly(colour));
    }

    /** Flushes after every block. */
    public TerminalPrinter(PrintStream out, PrintOptions options) {
        this(out, options, new RoundFlush(out));
    }

    /** {@code flush}: a {@link RoundFlush} of {@code out}. */
    public TerminalPrinter(PrintStream out, PrintOptions options, RoundFlush flush) {
        this(out, options, flush, false);
    }

    /**
     * {@code liveLines}: an exchange still running {@value #LIVE_LINE_DELAY_NANOS} ns after its request began
     * gets its request line printed then, when {@link #printOverdue} is next called, and its response line
     * on its own when it ends. Not with bodies, which print whole with their exchange.
     */
    public TerminalPrinter(PrintStream out, PrintOptions options, RoundFlush flush, boolean liveLines) {
        this.liveLines = liveLines && !options.bodies();
        this.out = out;
        this.flush = flush;
        this.options = options;
        this.palette = new Palette(options.colour());
        this.decoder = new BodyDecoder(options.bodyPrintLimit());
    }

    /** How long an exchange may run before its request line is printed on its own. */
    public static final long LIVE_LINE_DELAY_NANOS = 1_000_000_000L;

    public boolean hasLiveLines() {
        return liveLines;
    }

    @Override
    public void onRequestHead(Exchange exchange) {
        if (liveLines) {
            running.put(exchange, new RequestPart(requestPart(exchange, null), exchange.startNanos() + LIVE_LINE_DELAY_NANOS));
        }
        if (options.bodies()) {
            bodies.put(exchange, new CapturedBodies(decoder, exchange.request().headers()));
        }
    }

    @Override
    public void onRequestBody(Exchange exchange, ByteBuffer data) {
        CapturedBodies captured = bodies.get(exchange);
        if (captured != null) {
            captured.requestBody(data);
        }
    }

    @Override
    public void onResponseHead(Exchange exchange) {
        CapturedBodies captured = bodies.get(exchange);
        if (captured != null) {
            exchange.response().ifPresent(head -> captured.responseStarted(head.headers()));
        }
    }

    @Override
    public void onResponseBody(Exchange exchange, ByteBuffer data) {
        CapturedBodies captured = bodies.get(exchange);
        if (captured != null) {
            captured.responseBody(data);
        }
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        CapturedBodies captured = bodies.remove(exchange);
        RequestPart early = running.remove(exchange);
        String request = early != null ? early.text : requestPart(exchange, captured);
        String response = responsePart(exchange, captured);
        synchronized (out) {
            // One print, not two: each goes through the stream's encoder and buffers on its own.
            out.print(early == null || !early.printedEarly ? request + response : response);
        }
        flush.flushSoon();
    }

    /**
     * Live lines: prints the request line of every exchange running past its due time at {@code nowNanos}
     * (the clock of the exchanges' start times). Called every fraction of a second from a timer thread.
     */
    public void printOverdue(long nowNanos) {
        boolean printed = false;
        for (Map.Entry<Exchange, RequestPart> entry : running.entrySet()) {
            RequestPart part = entry.getValue();
            if (nowNanos - part.dueNanos < 0) {
                continue;
            }
            synchronized (out) {
                // Still running (its end removes it before taking this lock) and not printed yet.
                if (!part.printedEarly && running.get(entry.getKey()) == part) {
                    out.print(part.text);
                    part.printedEarly = true;
                    printed = true;
                }
            }
        }
        if (printed) {
            flush.flushSoon();
        }
    }

    /** The request line, its fields (--head) and its body (--body). */
    private String requestPart(Exchange exchange, CapturedBodies captured) {
        String method = TerminalText.safe(exchange.request().method());
        String url = TerminalText.safe(exchange.url());
        String line = palette.request(new StringBuilder(method.length() + url.length() + 6).append("---> ").append(method)
                .append(' ').append(url).toString());
        if (!options.heads() && captured == null) {
            return line; // the line alone, as most runs print it
        }
        StringBuilder block = new StringBuilder(line);
        Headers requestHeaders = exchange.request().headers();
        appendHead(block, "> ", requestHeaders);
        if (captured != null) {
            appendBody(block, captured.request(), exchange.isRequestComplete(), requestHeaders);
        }
        return block.toString();
    }

    /** Everything after the request: the response line, its fields and body, notes, or why there is none. */
    private String responsePart(Exchange exchange, CapturedBodies captured) {
        String url = TerminalText.safe(exchange.url());
        Optional<ResponseHead> response = exchange.response();
        Optional<String> notFollowed = exchange.notFollowedReason();
        if (response.isPresent() && !options.heads() && captured == null && exchange.notes().isEmpty()) {
            return responseLine(exchange, response.get(), url, notFollowed); // the line alone, as most runs print it
        }
        StringBuilder block = new StringBuilder();
        if (response.isEmpty() && notFollowed.isEmpty()) {
            block.append(palette.failure("<--- (no response) " + url));
        } else if (response.isPresent()) {
            block.append(responseLine(exchange, response.get(), url, notFollowed));
            appendHead(block, "< ", response.get().headers());
            if (captured != null) {
                DecodedBody body = captured.response().result(exchange.isResponseComplete());
                long decoded = exchange.decodedResponseLength().map(DecodedLength::bytes).orElse(-1L);
                block.append(BodyFormatter.format(decoded >= 0 ? body.withLength(decoded) : body,
                        response.get().headers().first("Content-Type")));
            }
        }
        for (String note : exchange.notes()) {
            block.append(palette.note("<--- NOTE " + url + ": " + TerminalText.safe(note)));
        }
        if (response.isEmpty()) {
            notFollowed.ifPresent(reason -> block.append(notFollowedLine(url, reason)));
        }
        return block.toString();
    }

    /** Unwanted after all (--filter): what was kept for it goes, unprinted. */
    @Override
    public void onExchangeDropped(Exchange exchange) {
        bodies.remove(exchange);
        running.remove(exchange);
    }

    /** No exchange to print: one line, {@code reason} saying what went unreported. */
    @Override
    public void onNotFollowed(ConnectionInfo connection, String reason) {
        String where = TerminalText.safe(connection.scheme() + "://" + connection.destination());
        String line = palette.failure("<--- ERROR " + where + ": " + TerminalText.safe(reason));
        synchronized (out) {
            out.print(line);
        }
        flush.flushSoon();
    }

    private String notFollowedLine(String where, String reason) {
        return palette.failure("<--- ERROR " + where + ": cannot follow the exchange: " + TerminalText.safe(reason));
    }

    /** The response's line; a response whose rest could not be followed says why in it, on one line. */
    private String responseLine(Exchange exchange, ResponseHead response, String url, Optional<String> notFollowed) {
        // Plain appends, no Optional chains: this runs for every exchange, first interpreted, then compiled.
        StringBuilder line = new StringBuilder(url.length() + 32).append("<--- ").append(response.status()).append(' ')
                .append(url).append(" (");
        appendBodySize(line, exchange);
        if (notFollowed.isPresent()) {
            line.append(", incomplete: cannot follow the rest: ").append(TerminalText.safe(notFollowed.get()));
        } else if (exchange.outcome().isCutShort()) {
            line.append(", incomplete");
        }
        return palette.status(response.status(), line.append(')').toString());
    }

    /** "1234 bytes", decoded when it was content-coded; as sent, and why, when it could not be decoded. */
    private static void appendBodySize(StringBuilder line, Exchange exchange) {
        DecodedLength decoded = exchange.decodedResponseLength().orElse(null);
        if (decoded != null && decoded.isKnown()) {
            line.append(decoded.bytes()).append(" bytes");
            return;
        }
        line.append(exchange.responseBodyBytes()).append(" bytes");
        if (decoded != null) {
            line.append(", ").append(TerminalText.safe(decoded.problem().orElse("")));
        }
    }

    private void appendHead(StringBuilder block, String marker, Headers headers) {
        if (options.heads()) {
            for (Header header : headers) {
                block.append(marker).append(TerminalText.safe(header.name())).append(": ")
                        .append(TerminalText.safe(header.value())).append('\n');
            }
        }
    }

    private static void appendBody(StringBuilder block, BodyRecorder recorder, boolean complete, Headers headers) {
        block.append(BodyFormatter.format(recorder.result(complete), headers.first("Content-Type")));
    }
}
