package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DecodedLengthsTest {
    private static final byte[] TEXT = "decoded, this is longer than it travelled\n".repeat(100).getBytes(StandardCharsets.UTF_8);

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
        run(new DecodedLengths(printer), 200, Headers.of("Content-Type", "text/plain", "Content-Encoding", "gzip"),
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
    void theLengthIsOnTheExchangeBeforeTheSinksHearItEndedAndOnlyForCodedBodies() {
        List<Optional<DecodedLength>> seen = new ArrayList<>();
        ExchangeListener sink = new ExchangeListener() {
            @Override
            public void onExchangeFinished(Exchange exchange) {
                seen.add(exchange.decodedResponseLength());
            }
        };
        DecodedLengths lengths = new DecodedLengths(sink);
        run(lengths, 200, Headers.of("Content-Encoding", "identity"), TEXT, true);
        run(lengths, 200, Headers.EMPTY, TEXT, true);
        run(lengths, 206, Headers.of("Content-Encoding", "gzip"), TEXT, true); // a range of a gzip stream
        assertEquals(List.of(Optional.empty(), Optional.empty(), Optional.empty()), seen);
    }

    private static String printThroughDecodedLengths(Headers responseHeaders, byte[] body, boolean complete) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8), false);
        run(new DecodedLengths(printer), 200, responseHeaders, body, complete);
        return bytes.toString(StandardCharsets.UTF_8);
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
