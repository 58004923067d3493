package dev.httptap.cli;

import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.ExchangeListeners;
import dev.httptap.event.FilteredListener;
import dev.httptap.log.Log;
import dev.httptap.sink.HostSummary;
import dev.httptap.sink.JsonLinesWriter;
import dev.httptap.sink.TerminalPrinter;
import dev.httptap.sink.har.HarWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that hears about exchanges in one run: the terminal printer and, as asked, the HAR file,
 * the JSON lines and the host summary, behind the run's filter. {@link #close()} finishes the files and
 * prints the summary; it runs when the run ends and, through a shutdown hook, when the JVM is stopped
 * some other way, so the HAR file is always complete. Closing twice does nothing.
 */
final class Sinks implements AutoCloseable {
    private final ExchangeListener listener;
    private final HarWriter har;
    private final JsonLinesWriter jsonLines;
    private final HostSummary summary;
    private final PrintStream output;
    private final Thread shutdownHook = new Thread(this::finish, "httptap-sinks-shutdown");
    private boolean finished;

    private Sinks(ExchangeListener listener, HarWriter har, JsonLinesWriter jsonLines, HostSummary summary, PrintStream output) {
        this.listener = listener;
        this.har = har;
        this.jsonLines = jsonLines;
        this.summary = summary;
        this.output = output;
    }

    static Sinks open(RecordingSettings settings, TerminalPrinter printer, PrintStream output, Path privateDir)
            throws TapException {
        HarWriter har = settings.harFile() == null ? null : openHar(settings, privateDir);
        JsonLinesWriter jsonLines = settings.jsonLines() == null ? null : openJsonLines(settings.jsonLines());
        HostSummary summary = settings.summary() ? new HostSummary() : null;
        List<ExchangeListener> listeners = new ArrayList<>();
        listeners.add(new FilteredListener(settings.filter(), printer));
        if (jsonLines != null) {
            listeners.add(new FilteredListener(settings.filter(), jsonLines));
        }
        if (summary != null) {
            listeners.add(new FilteredListener(settings.filter(), summary));
        }
        if (har != null) {
            listeners.add(har); // it filters itself, as it must forget the exchanges that turn out unwanted
        }
        Sinks sinks = new Sinks(ExchangeListeners.of(listeners), har, jsonLines, summary, output);
        Runtime.getRuntime().addShutdownHook(sinks.shutdownHook);
        return sinks;
    }

    ExchangeListener listener() {
        return listener;
    }

    @Override
    public void close() {
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook found everything finished
        }
    }

    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (har != null) {
            har.close();
        }
        if (jsonLines != null) {
            jsonLines.close();
        }
        if (summary != null) {
            synchronized (output) {
                output.print(summary.render());
                output.flush();
            }
        }
    }

    private static HarWriter openHar(RecordingSettings settings, Path privateDir) throws TapException {
        try {
            Path bodies = Files.createDirectories(privateDir.resolve("har-bodies"));
            return HarWriter.open(settings.harFile(), Version.number(), bodies, settings.harMaxBody(), settings.filter());
        } catch (IOException e) {
            throw new TapException("cannot write the HAR file " + settings.harFile() + ": " + e.getMessage(), e);
        }
    }

    private static JsonLinesWriter openJsonLines(String target) throws TapException {
        if (target.equals("-")) {
            return new JsonLinesWriter(System.out, false, ExchangeClock.SYSTEM);
        }
        try {
            OutputStream out = Files.newOutputStream(Path.of(target));
            return new JsonLinesWriter(out, true, ExchangeClock.SYSTEM);
        } catch (IOException e) {
            throw new TapException("cannot write the JSON lines file " + target + ": " + e.getMessage(), e);
        }
    }
}
