package dev.httptap.sink;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import dev.httptap.stack.FlowId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TerminalPrinterTest {
    static final String URL = "http://host.httptap.local:8000/path";

    static Exchange exchange(String method, Integer status, long bodyBytes, Outcome outcome) {
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", 8000));
        ConnectionInfo connection = new ConnectionInfo(flow, new InetSocketAddress("127.0.0.1", 8000), "http");
        Exchange exchange = new Exchange(connection,
                new RequestHead(method, "/path", "HTTP/1.1", Headers.of("Host", "host.httptap.local:8000")), 0, 0);
        if (status != null) {
            exchange.recordResponse(new ResponseHead(status, "", "HTTP/1.1", Headers.EMPTY), 1);
        }
        exchange.addResponseBodyBytes(bodyBytes);
        if (outcome != Outcome.PENDING) { // a pending one is for the test to finish
            exchange.finish(outcome, 2);
        }
        return exchange;
    }

    private static String print(boolean colour, Exchange... exchanges) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8), colour);
        for (Exchange exchange : exchanges) {
            printer.onExchangeFinished(exchange);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Exchanges start at 0 ns here: a second later a running one shows its request line, the rest waits. */
    @Test
    void anExchangeRunningASecondHasItsRequestLinePrintedThenAndItsResponseLineWhenItEnds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        TerminalPrinter printer = new TerminalPrinter(out, PrintOptions.linesOnly(false), new RoundFlush(out), true);
        Exchange slow = exchange("GET", null, 0, Outcome.PENDING);
        Exchange quick = exchange("POST", null, 0, Outcome.PENDING);
        printer.onRequestHead(slow);
        printer.onRequestHead(quick);

        printer.printOverdue(TerminalPrinter.LIVE_LINE_DELAY_NANOS - 1);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "not yet due");
        quick.recordResponse(new ResponseHead(204, "", "HTTP/1.1", Headers.EMPTY), 1);
        quick.finish(Outcome.COMPLETE, 2);
        printer.onExchangeFinished(quick);
        printer.printOverdue(TerminalPrinter.LIVE_LINE_DELAY_NANOS);
        printer.printOverdue(2 * TerminalPrinter.LIVE_LINE_DELAY_NANOS);
        slow.recordResponse(new ResponseHead(200, "", "HTTP/1.1", Headers.EMPTY), 3);
        slow.addResponseBodyBytes(7);
        slow.finish(Outcome.COMPLETE, 4);
        printer.onExchangeFinished(slow);

        assertEquals("---> POST " + URL + "\n<--- 204 " + URL + " (0 bytes)\n" // ended in time: whole
                + "---> GET " + URL + "\n" // printed once, when due
                + "<--- 200 " + URL + " (7 bytes)\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutLiveLinesOrWithBodiesNothingIsPrintedBeforeTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        for (TerminalPrinter printer : List.of(new TerminalPrinter(out, PrintOptions.linesOnly(false), new RoundFlush(out)),
                new TerminalPrinter(out, new PrintOptions(false, false, true, 4096), new RoundFlush(out), true))) {
            Exchange slow = exchange("GET", null, 0, Outcome.PENDING);
            printer.onRequestHead(slow);
            printer.printOverdue(10 * TerminalPrinter.LIVE_LINE_DELAY_NANOS);
            printer.onExchangeDropped(slow);
            assertFalse(printer.hasLiveLines());
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainLinesMatchTheOriginal() {
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (1256 bytes)\n"
                        + "---> POST " + URL + "\n<--- 404 " + URL + " (0 bytes)\n",
                print(false, exchange("GET", 200, 1256, Outcome.COMPLETE), exchange("POST", 404, 0, Outcome.COMPLETE)));
    }

    @Test
    void colouredLinesUseTheOriginalPalette() {
        assertEquals("\u001b[1;34m---> GET " + URL + "\u001b[0m\n\u001b[32m<--- 200 " + URL + " (5 bytes)\u001b[0m\n",
                print(true, exchange("GET", 200, 5, Outcome.COMPLETE)));
        assertEquals("\u001b[35m<--- 301 " + URL + " (0 bytes)\u001b[0m\n",
                secondLine(print(true, exchange("GET", 301, 0, Outcome.COMPLETE))));
        assertEquals("\u001b[33m<--- 404 " + URL + " (0 bytes)\u001b[0m\n",
                secondLine(print(true, exchange("GET", 404, 0, Outcome.COMPLETE))));
        assertEquals("\u001b[31m<--- 503 " + URL + " (0 bytes)\u001b[0m\n",
                secondLine(print(true, exchange("GET", 503, 0, Outcome.COMPLETE))));
        assertEquals("\u001b[32m<--- 101 " + URL + " (0 bytes)\u001b[0m\n",
                secondLine(print(true, exchange("GET", 101, 0, Outcome.COMPLETE))));
    }

    @Test
    void cutShortExchangesStillPrintTwoLines() {
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (9 bytes, incomplete)\n",
                print(false, exchange("GET", 200, 9, Outcome.CLOSED_MID_RESPONSE)));
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (4 bytes, incomplete)\n",
                print(false, exchange("GET", 200, 4, Outcome.RESET)));
        assertEquals("---> GET " + URL + "\n<--- (no response) " + URL + "\n",
                print(false, exchange("GET", null, 0, Outcome.NO_RESPONSE)));
        assertEquals("---> DELETE " + URL + "\n<--- (no response) " + URL + "\n",
                print(false, exchange("DELETE", null, 0, Outcome.UNPARSEABLE)));
        assertEquals("\u001b[1;34m---> GET " + URL + "\u001b[0m\n\u001b[31m<--- (no response) " + URL + "\u001b[0m\n",
                print(true, exchange("GET", null, 0, Outcome.RESET)));
    }

    @Test
    void notesAndExchangesNotFollowedSayWhatTheLinesLeaveOut() {
        Exchange cut = exchange("GET", 431, 0, Outcome.COMPLETE);
        cut.addNote("request head of 98940 bytes: only its first 65457 bytes are shown");
        assertEquals("---> GET " + URL + "\n<--- 431 " + URL + " (0 bytes)\n<--- NOTE " + URL
                + ": request head of 98940 bytes: only its first 65457 bytes are shown\n", print(false, cut));

        Exchange lost = exchange("GET", null, 0, Outcome.PENDING);
        lost.finishNotFollowed("response: not an HTTP/1 status line: \"\\x16\"", 3);
        assertEquals("---> GET " + URL + "\n<--- ERROR " + URL + ": cannot follow the exchange: response: not an HTTP/1"
                + " status line: \"\\x16\"\n", print(false, lost));

        Exchange midway = exchange("GET", 200, 3, Outcome.PENDING);
        midway.finishNotFollowed("response: chunk size line without a size", 3);
        assertEquals("---> GET " + URL + "\n<--- 200 " + URL + " (3 bytes, incomplete: cannot follow the rest: response:"
                + " chunk size line without a size)\n", print(false, midway), "one line: the response, and why it stops");
    }

    @Test
    void aConnectionNotFollowedBeforeAnyExchangeIsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalPrinter printer = new TerminalPrinter(new PrintStream(bytes, false, StandardCharsets.UTF_8), false);
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", 8000));
        printer.onNotFollowed(new ConnectionInfo(flow, flow.server(), "http"),
                "cannot follow the connection: response: a response 200 without a request");
        assertEquals("<--- ERROR http://169.254.77.65:8000: cannot follow the connection: response: a response 200"
                + " without a request\n", bytes.toString(StandardCharsets.UTF_8));
    }

    private static String secondLine(String pair) {
        return pair.substring(pair.indexOf('\n') + 1);
    }
}
