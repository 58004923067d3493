package dev.httptap.sink;

import dev.httptap.body.BodyDecoder;
import dev.httptap.body.BodyRecorder;
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
 * The byte count is the response body as it travelled, without transfer framing but still content-encoded.
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
        this.out = out;
        this.flush = flush;
        this.options = options;
        this.palette = new Palette(options.colour());
        this.decoder = new BodyDecoder(options.bodyPrintLimit());
    }

    @Override
    public void onRequestHead(Exchange exchange) {
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
        String url = TerminalText.safe(exchange.url());
        StringBuilder block = new StringBuilder();
        block.append(palette.request("---> " + TerminalText.safe(exchange.request().method()) + " " + url));
        Headers requestHeaders = exchange.request().headers();
        appendHead(block, "> ", requestHeaders);
        if (captured != null) {
            appendBody(block, captured.request(), exchange.isRequestComplete(), requestHeaders);
        }
        Optional<ResponseHead> response = exchange.response();
        Optional<String> notFollowed = exchange.notFollowedReason();
        if (response.isEmpty() && notFollowed.isEmpty()) {
            block.append(palette.failure("<--- (no response) " + url));
        } else if (response.isPresent()) {
            block.append(responseLine(exchange, response.get(), url, notFollowed));
            appendHead(block, "< ", response.get().headers());
            if (captured != null) {
                appendBody(block, captured.response(), exchange.isResponseComplete(), response.get().headers());
            }
        }
        for (String note : exchange.notes()) {
            block.append(palette.note("<--- NOTE " + url + ": " + TerminalText.safe(note)));
        }
        if (response.isEmpty()) {
            notFollowed.ifPresent(reason -> block.append(notFollowedLine(url, reason)));
        }
        synchronized (out) {
            out.print(block);
        }
        flush.flushSoon();
    }

    /** Unwanted after all (--filter): the bodies captured for it go, unprinted. */
    @Override
    public void onExchangeDropped(Exchange exchange) {
        bodies.remove(exchange);
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
        String incomplete = notFollowed.map(reason -> ", incomplete: cannot follow the rest: " + TerminalText.safe(reason))
                .orElse(exchange.outcome().isCutShort() ? ", incomplete" : "");
        return palette.status(response.status(),
                "<--- " + response.status() + " " + url + " (" + exchange.responseBodyBytes() + " bytes" + incomplete + ")");
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
