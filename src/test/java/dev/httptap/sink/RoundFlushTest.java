package dev.httptap.sink;

import dev.httptap.event.Outcome;
import org.junit.jupiter.api.Test;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundFlushTest {
    /** What has reached the destination: the stream buffers everything until it is flushed. */
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(new BufferedOutputStream(written, 4096), false, StandardCharsets.UTF_8);
    private final RoundFlush flush = new RoundFlush(out);

    private String written() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void flushesAtOnceUntilALoopThreadEndsItsFirstRound() {
        out.print("a\n");
        flush.flushSoon();
        assertEquals("a\n", written());
    }

    @Test
    void theLoopThreadsPrintingWaitsForTheEndOfItsRound() {
        flush.endRound();
        out.print("a\n");
        flush.flushSoon();
        out.print("b\n");
        flush.flushSoon();
        assertEquals("", written());
        flush.endRound();
        assertEquals("a\nb\n", written());
    }

    @Test
    void anotherThreadsPrintingIsFlushedAtOnce() throws InterruptedException {
        flush.endRound();
        Thread other = new Thread(() -> {
            out.print("from elsewhere\n");
            flush.flushSoon();
        });
        other.start();
        other.join();
        assertEquals("from elsewhere\n", written());
    }

    @Test
    void theTerminalPrinterFlushesThroughIt() {
        TerminalPrinter printer = new TerminalPrinter(out, PrintOptions.linesOnly(false), flush);
        flush.endRound();
        printer.onExchangeFinished(TerminalPrinterTest.exchange("GET", 200, 3, Outcome.COMPLETE));
        assertEquals("", written());
        flush.endRound();
        assertEquals("---> GET " + TerminalPrinterTest.URL + "\n<--- 200 " + TerminalPrinterTest.URL + " (3 bytes)\n",
                written());
    }
}
