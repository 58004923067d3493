package dev.httptap.cli;

import dev.httptap.body.DecoderQueue;
import dev.httptap.event.Blocked;
import dev.httptap.event.EgressListener;
import dev.httptap.event.EgressListeners;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.ExchangeListeners;
import dev.httptap.event.FilteredListener;
import dev.httptap.files.IoFailure;
import dev.httptap.log.Log;
import dev.httptap.relay.DnsObserver;
import dev.httptap.relay.PassThroughCause;
import dev.httptap.relay.Relay;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.sink.AuditReport;
import dev.httptap.sink.BlockedReport;
import dev.httptap.sink.DecodedLengths;
import dev.httptap.sink.DnsJsonLines;
import dev.httptap.relay.HostNames;
import dev.httptap.sink.HostSummary;
import dev.httptap.sink.JsonLinesWriter;
import dev.httptap.sink.PassThroughReport;
import dev.httptap.sink.TerminalPrinter;
import dev.httptap.sink.UpstreamErrorPrinter;
import dev.httptap.sink.har.ConnectionTimings;
import dev.httptap.sink.har.HarWriter;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything that hears about exchanges in one run: the terminal printer and, as asked, the HAR file,
 * the JSON lines and the host summary, behind the run's filter and the decoded lengths (measured on a
 * decoder thread of their own, see {@link DecodedLengths}); and what hears how reaching each server
 * went: the error lines (which name servers by the child's DNS answers), the PASSTHROUGH lines and records,
 * and the HAR's connect times; and what hears the egress policy: the BLOCKED lines and records, the
 * summary's BLOCKED column, the audit. {@link #close()} lets the decoding under way finish (bounded), finishes
 * the files and prints the summary and the audit; it runs when the run ends and, through a shutdown hook, when the JVM is stopped
 * some other way, so the HAR file is always complete. Closing twice does nothing.
 */
final class Sinks implements AutoCloseable {
    /** How often the timer looks for exchanges running long enough to have their request line printed. */
    private static final long LIVE_LINE_CHECK_MILLIS = 250;
    /**
     * At the end, how long the decoding still under way may take to finish, and then how long the chunk the
     * decoder is in may take, before the exchanges still held are written without their decoded length.
     */
    private static final Duration DECODING_GRACE = Duration.ofSeconds(1);
    private static final long DECODER_IDLE_SECONDS = 10;

    private final DecodedLengths listener;
    private final HarWriter har;
    private final JsonLinesWriter jsonLines;
    private final HostSummary summary;
    private final PrintStream output;
    private final HostNames names;
    private final UpstreamErrorPrinter errors;
    private final ScheduledExecutorService timer;
    private final UpstreamObserver upstreams;
    /** Null without --audit. */
    private final AuditReport audit;
    private final EgressListener egress;
    private final AtomicLong blocked = new AtomicLong();
    private final Thread shutdownHook = new Thread(this::finish, "httptap-sinks-shutdown");
    private boolean finished;

    private Sinks(ExchangeListener sinks, HarWriter har, JsonLinesWriter jsonLines, HostSummary summary,
            PrintStream output, boolean colour, ConnectionTimings timings, AuditReport audit) {
        this.names = new HostNames();
        this.audit = audit;
        List<EgressListener> egressListeners = new ArrayList<>(List.of(
                new BlockedReport(output, colour, jsonLines, ExchangeClock.SYSTEM), new EgressListener() {
                    @Override
                    public void onBlocked(Blocked refused) {
                        blocked.incrementAndGet();
                    }
                }));
        if (summary != null) {
            egressListeners.add(summary);
        }
        if (audit != null) {
            egressListeners.add(audit);
        }
        this.egress = EgressListeners.of(egressListeners);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "httptap-sink-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.errors = new UpstreamErrorPrinter(output, colour, names,
                (task, delayMillis) -> timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS));
        UpstreamObserver lines = new BothUpstreamObservers(errors,
                new PassThroughReport(output, colour, jsonLines, ExchangeClock.SYSTEM));
        this.upstreams = timings == null ? lines : new BothUpstreamObservers(lines, timings);
        this.listener = new DecodedLengths(sinks, new DecoderQueue(DecoderQueue.defaultBudget(), decoderThread()));
        this.har = har;
        this.jsonLines = jsonLines;
        this.summary = summary;
        this.output = output;
    }

    /** {@code colour}: the error lines', as the printer's; {@code audit}: --audit. */
    static Sinks open(RecordingSettings settings, TerminalPrinter printer, PrintStream output, boolean colour,
            Path privateDir, boolean audit) throws TapException {
        ConnectionTimings timings = settings.harFile() == null ? null : new ConnectionTimings();
        HarWriter har = settings.harFile() == null ? null : openHar(settings, privateDir, timings);
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
        Sinks sinks = new Sinks(ExchangeListeners.of(listeners), har, jsonLines, summary, output, colour, timings,
                audit ? new AuditReport() : null);
        if (printer.hasLiveLines()) {
            sinks.timer.scheduleAtFixedRate(() -> printOverdue(printer), LIVE_LINE_CHECK_MILLIS, LIVE_LINE_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        Runtime.getRuntime().addShutdownHook(sinks.shutdownHook);
        return sinks;
    }

    /**
     * The decoded lengths' thread: started by the first coded body, and gone after a while without one. Never
     * shut down, so a body that ends while the sinks close (the JVM stopped with the relay running) is
     * still taken, and abandoned at once.
     */
    private static Executor decoderThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, DECODER_IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "httptap-decoder");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** A failure is reported and the next round tried: an exception would end the timer's schedule for good. */
    private static void printOverdue(TerminalPrinter printer) {
        try {
            printer.printOverdue(System.nanoTime());
        } catch (RuntimeException e) {
            Log.error("printing the lines of running exchanges failed: %s", e);
        }
    }

    ExchangeListener listener() {
        return listener;
    }

    /**
     * Where the exchanges whose decoded length was measured off the relay's thread are passed to the sinks:
     * back on that thread, the one every other event comes from. Before the relay starts.
     */
    void deliverOn(Relay relay) {
        listener.deliverOn(relay::execute);
    }

    /** For the relay's egress policy: what it blocked and, with --audit, what it let through. */
    EgressListener egressListener() {
        return egress;
    }

    /** The names the child's DNS answers gave addresses, learnt through {@link #dnsObserver}. */
    HostNames names() {
        return names;
    }

    /** How many connections, datagrams and DNS queries the egress policy refused so far. */
    long blockedCount() {
        return blocked.get();
    }

    /** For the relay and the TLS interceptor: how reaching each server went. */
    UpstreamObserver upstreamObserver() {
        return upstreams;
    }

    /**
     * For the relay: {@code printer} (the --print-dns lines, or none), the names for the error lines, and the
     * DNS lines of --dump-jsonl.
     */
    DnsObserver dnsObserver(DnsObserver printer) {
        DnsObserver observer = new BothDnsObservers(printer, names);
        return jsonLines == null ? observer
                : new BothDnsObservers(observer, new DnsJsonLines(jsonLines, ExchangeClock.SYSTEM));
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
        try {
            listener.finish(DECODING_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // what is still being measured goes unreported, as in progress
        }
        errors.close();
        timer.shutdownNow();
        if (har != null) {
            har.close();
        }
        if (jsonLines != null) {
            jsonLines.close();
        }
        // Also the exchanges the relay printed while it stopped, which no round end flushed.
        synchronized (output) {
            if (summary != null) {
                output.print(summary.render());
            }
            if (audit != null) {
                output.print(audit.render());
            }
            output.flush();
        }
    }

    private static HarWriter openHar(RecordingSettings settings, Path privateDir, ConnectionTimings timings)
            throws TapException {
        try {
            Path bodies = Files.createDirectories(privateDir.resolve("har-bodies"));
            return HarWriter.open(settings.harFile(), Version.number(), bodies, settings.harMaxBody(), settings.filter(),
                    timings);
        } catch (IOException e) {
            throw new TapException("--dump-har " + settings.harFile() + ": " + IoFailure.reason(e), e);
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
            throw new TapException("--dump-jsonl " + target + ": " + IoFailure.reason(e), e);
        }
    }

    private record BothDnsObservers(DnsObserver first, DnsObserver second) implements DnsObserver {
        @Override
        public void onQuery(FlowId flow, ByteBuffer query) {
            first.onQuery(flow, query.duplicate());
            second.onQuery(flow, query.duplicate());
        }

        @Override
        public void onAnswer(FlowId flow, ByteBuffer answer) {
            first.onAnswer(flow, answer.duplicate());
            second.onAnswer(flow, answer.duplicate());
        }

        @Override
        public void onNoAnswer(FlowId flow, ByteBuffer query) {
            first.onNoAnswer(flow, query.duplicate());
            second.onNoAnswer(flow, query.duplicate());
        }
    }

    private record BothUpstreamObservers(UpstreamObserver first, UpstreamObserver second) implements UpstreamObserver {
        @Override
        public void onConnected(FlowId flow, InetSocketAddress upstream, long dialStartNanos, long connectedNanos) {
            first.onConnected(flow, upstream, dialStartNanos, connectedNanos);
            second.onConnected(flow, upstream, dialStartNanos, connectedNanos);
        }

        @Override
        public void onConnectFailed(FlowId flow, InetSocketAddress upstream, String reason) {
            first.onConnectFailed(flow, upstream, reason);
            second.onConnectFailed(flow, upstream, reason);
        }

        @Override
        public void onHandshake(FlowId flow, long startNanos, long doneNanos) {
            first.onHandshake(flow, startNanos, doneNanos);
            second.onHandshake(flow, startNanos, doneNanos);
        }

        @Override
        public void onServerRejected(FlowId flow, String server, String reason) {
            first.onServerRejected(flow, server, reason);
            second.onServerRejected(flow, server, reason);
        }

        @Override
        public void onPassThrough(FlowId flow, String server, PassThroughCause cause) {
            first.onPassThrough(flow, server, cause);
            second.onPassThrough(flow, server, cause);
        }
    }
}
