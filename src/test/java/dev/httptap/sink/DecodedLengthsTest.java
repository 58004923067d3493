package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.body.DecoderQueue;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The decoder thread and the relay's loop are queues of tasks this test runs by hand. */
class DecodedLengthsTest {
    private static final byte[] TEXT = "decoded, this is longer than it travelled\n".repeat(100).getBytes(StandardCharsets.UTF_8);

    private final Queue<Runnable> decoderTasks = new ArrayDeque<>();
    private final Queue<Runnable> loopTasks = new ArrayDeque<>();

    @Test
    void theResponseLineCountsTheDecodedBody() throws IOException {
        byte[] gzip = gzip(TEXT);
        String printed = printThroughDecodedLengths(Headers.of("Content-Encoding", "gzip"), gzip, true);
        assertEquals("---> GET " + TerminalPrinterTest.URL + "\n<--- 200 " + TerminalPrinterTest.URL + " ("
                + TEXT.length + " bytes)\n", printed);
    }

    @Test
    void aCompressedBodyCutForDisplaySaysHowManyDecodedBytesAreLeft() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8),
                new PrintOptions(false, false, true, 9));
        runAndDeliver(lengths(printer), 200, Headers.of("Content-Type", "text/plain", "Content-Encoding", "gzip"),
                gzip(TEXT), true);
        assertEquals(List.of("---> GET " + TerminalPrinterTest.URL, "<--- 200 " + TerminalPrinterTest.URL + " (" + TEXT.length
                + " bytes)", "decoded, ", "... (" + (TEXT.length - 9) + " more bytes)"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void aBodyThatCannotBeDecodedShowsItsLengthAsSentAndWhy() {
        byte[] notGzip = "plain after all".getBytes(StandardCharsets.UTF_8);
        String printed = printThroughDecodedLengths(Headers.of("Content-Encoding", "gzip"), notGzip, true);
        assertEquals("<--- 200 " + TerminalPrinterTest.URL + " (15 bytes, not decodable as gzip)",
                printed.lines().toList().get(1));
        String unknown = printThroughDecodedLengths(Headers.of("Content-Encoding", "compress"), notGzip, true);
        assertEquals("<--- 200 " + TerminalPrinterTest.URL + " (15 bytes, not decodable as compress)",
                unknown.lines().toList().get(1));
    }

    @Test
    void aBodyCutShortCountsWhatDecodedOfIt() throws IOException {
        byte[] gzip = gzip(TEXT);
        byte[] half = java.util.Arrays.copyOf(gzip, gzip.length / 2);
        String line = printThroughDecodedLengths(Headers.of("Content-Encoding", "gzip"), half, false).lines().toList().get(1);
        assertEquals(true, line.matches("<--- 200 \\S+ \\(\\d+ bytes, incomplete\\)"), line);
    }

    @Test
    void theLengthIsOnTheExchangeBeforeTheSinksHearItEndedAndOnlyForCodedBodies() throws IOException {
        List<Optional<DecodedLength>> seen = new ArrayList<>();
        ExchangeListener sink = new ExchangeListener() {
            @Override
            public void onExchangeFinished(Exchange exchange) {
                seen.add(exchange.decodedResponseLength());
            }
        };
        DecodedLengths lengths = lengths(sink);
        run(lengths, 200, Headers.of("Content-Encoding", "identity"), TEXT, true);
        run(lengths, 200, Headers.EMPTY, TEXT, true);
        run(lengths, 206, Headers.of("Content-Encoding", "gzip"), TEXT, true); // a range of a gzip stream
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()), seen, "passed on at once");
        assertEquals(List.of(), List.copyOf(decoderTasks), "nothing to decode");
        run(lengths, 200, Headers.of("Content-Encoding", "gzip"), gzip(TEXT), true);
        assertEquals(3, seen.size(), "a coded body's end waits for its length");
        decoderTasks.poll().run();
        assertEquals(3, seen.size(), "and is passed on on the loop's thread only");
        loopTasks.poll().run();
        assertEquals(Optional.of(DecodedLength.of(TEXT.length)), seen.get(3));
    }

    @Test
    void aBodyTheDecoderCannotKeepUpWithShowsItsLengthAsSentAndWhy() throws IOException {
        byte[] random = new byte[3000];
        new Random(1).nextBytes(random);
        byte[] gzip = gzip(random);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8), false);
        runAndDeliver(lengths(printer, 1000), 200, Headers.of("Content-Encoding", "gzip"), gzip, true);
        assertEquals("<--- 200 " + TerminalPrinterTest.URL + " (" + gzip.length + " bytes, not decoded: the decoder fell behind)",
                bytes.toString(StandardCharsets.UTF_8).lines().toList().get(1));
    }

    @Test
    void theEndOfTheRunPassesOnWhatTheDecoderStillHeld() throws IOException, InterruptedException {
        List<String> seen = new ArrayList<>();
        DecodedLengths lengths = lengths(new ExchangeListener() {
            @Override
            public void onExchangeFinished(Exchange exchange) {
                seen.add(exchange.decodedResponseLength().orElseThrow().problem().orElse("decoded"));
            }
        });
        run(lengths, 200, Headers.of("Content-Encoding", "gzip"), gzip(TEXT), true);
        lengths.finish(Duration.ZERO); // the decoder never ran, the loop has stopped
        assertEquals(List.of("not decoded: httptap was ending"), seen);
    }

    private String printThroughDecodedLengths(Headers responseHeaders, byte[] body, boolean complete) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8), false);
        runAndDeliver(lengths(printer), 200, responseHeaders, body, complete);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private DecodedLengths lengths(ExchangeListener sinks) {
        return lengths(sinks, DecoderQueue.DEFAULT_BUDGET_BYTES);
    }

    /** {@code budgetBytes}: what may wait for the decoder. */
    private DecodedLengths lengths(ExchangeListener sinks, long budgetBytes) {
        DecodedLengths lengths = new DecodedLengths(sinks, new DecoderQueue(budgetBytes, decoderTasks::add));
        lengths.deliverOn(loopTasks::add);
        return lengths;
    }

    /** The exchange, then the decoder's work, then the loop's. */
    private void runAndDeliver(ExchangeListener listener, int status, Headers responseHeaders, byte[] body, boolean complete) {
        run(listener, status, responseHeaders, body, complete);
        for (Queue<Runnable> tasks : List.of(decoderTasks, loopTasks)) {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    private static void run(ExchangeListener listener, int status, Headers responseHeaders, byte[] body, boolean complete) {
        Exchange exchange = Exchanges.started(Exchanges.connection(40000),
                "GET", "/path", Headers.of("Host", "host.httptap.local:8000"));
        listener.onRequestHead(exchange);
        exchange.markRequestComplete(exchange.startNanos());
        Exchanges.respond(exchange, status, "", responseHeaders);
        listener.onResponseHead(exchange);
        for (int at = 0; at < body.length; at += 100) {
            ByteBuffer chunk = ByteBuffer.wrap(body, at, Math.min(100, body.length - at)).asReadOnlyBuffer();
            exchange.addResponseBodyBytes(chunk.remaining());
            listener.onResponseBody(exchange, chunk);
        }
        if (complete) {
            exchange.markResponseComplete();
        }
        Exchanges.finish(exchange, complete ? Outcome.COMPLETE : Outcome.CLOSED_MID_RESPONSE);
        listener.onExchangeFinished(exchange);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
