package dev.httptap.sink;

import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.ResponseHead;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Prints each finished exchange as the original httptap does:
 * <pre>
 * ---&gt; GET http://host.httptap.local:8000/path
 * &lt;--- 200 http://host.httptap.local:8000/path (1256 bytes)
 * </pre>
 * The byte count is the response body without transfer framing. An exchange cut short still prints its
 * request, then {@code <--- 200 URL (N bytes, incomplete)} when the response had begun, or
 * {@code <--- (no response) URL}. Both lines go out in one write under the stream's lock, so pairs
 * from different connections never interleave (the stream's lock is also the one {@code Log} takes).
 */
public final class TerminalPrinter implements ExchangeListener {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD_BLUE = "\u001b[1;34m";
    private static final String GREEN = "\u001b[32m";
    private static final String MAGENTA = "\u001b[35m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";

    private final PrintStream out;
    private final boolean colour;

    /** {@code colour}: the CLI's call (a terminal, and NO_COLOR unset). */
    public TerminalPrinter(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    @Override
    public void onExchangeFinished(Exchange exchange) {
        String url = exchange.url();
        String text = paint(BOLD_BLUE, "---> " + exchange.request().method() + " " + url)
                + responseLine(exchange, url);
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    private String responseLine(Exchange exchange, String url) {
        Optional<ResponseHead> response = exchange.response();
        if (response.isEmpty()) {
            return paint(RED, "<--- (no response) " + url);
        }
        int status = response.get().status();
        String incomplete = exchange.outcome().isCutShort() ? ", incomplete" : "";
        return paint(statusColour(status),
                "<--- " + status + " " + url + " (" + exchange.responseBodyBytes() + " bytes" + incomplete + ")");
    }

    /** The original's palette: anything below 300 green, then magenta, yellow, red. */
    private static String statusColour(int status) {
        if (status < 300) {
            return GREEN;
        }
        if (status < 400) {
            return MAGENTA;
        }
        return status < 500 ? YELLOW : RED;
    }

    private String paint(String style, String line) {
        return colour ? style + line + RESET + "\n" : line + "\n";
    }
}
