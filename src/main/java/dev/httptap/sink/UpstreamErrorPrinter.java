package dev.httptap.sink;

import dev.httptap.log.TerminalText;
import dev.httptap.relay.HostNames;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.stack.FlowId;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints one red line for each server the child could not reach, next to the exchange lines:
 * <pre>
 * &lt;--- ERROR host.httptap.local:8001: connection refused
 * &lt;--- ERROR example.com:443: cannot verify the TLS connection: its certificate has expired (...)
 * </pre>
 * The server is named as the child named it (see {@link HostNames}). A failed dial is held for
 * {@link #GRACE_MILLIS} first and dropped if the child then reaches the same name and port: clients that
 * try a name's addresses in turn (IPv6, then IPv4) recover from such a failure, and so would not have
 * seen an error without httptap either. The same failure twice within the grace is one line.
 * {@link #close()} prints what is still held.
 */
public final class UpstreamErrorPrinter implements UpstreamObserver, AutoCloseable {
    static final long GRACE_MILLIS = 1000;

    /** Runs a task later, on some other thread; tests run it by hand. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    private final PrintStream out;
    private final Palette palette;
    private final HostNames names;
    private final Scheduler scheduler;
    /** Failed dials waiting out their grace, by "target: reason", in the order they failed. */
    private final Map<String, HeldFailure> held = new LinkedHashMap<>();

    public UpstreamErrorPrinter(PrintStream out, boolean colour, HostNames names, Scheduler scheduler) {
        this.out = out;
        this.palette = new Palette(colour);
        this.names = names;
        this.scheduler = scheduler;
    }

    @Override
    public void onConnectFailed(FlowId flow, InetSocketAddress upstream, String reason) {
        HeldFailure failure = new HeldFailure(names.describe(flow.server()), reason);
        synchronized (this) {
            if (held.putIfAbsent(failure.line(), failure) != null) {
                return;
            }
        }
        scheduler.schedule(() -> printIfStillHeld(failure), GRACE_MILLIS);
    }

    @Override
    public void onConnected(FlowId flow, InetSocketAddress upstream, long dialStartNanos, long connectedNanos) {
        String target = names.describe(flow.server());
        synchronized (this) {
            held.values().removeIf(failure -> failure.target().equals(target));
        }
    }

    @Override
    public void onServerRejected(FlowId flow, String server, String reason) {
        print(new HeldFailure(server, reason).line());
    }

    /** Prints the failures still held: the run is ending, so nothing can recover them any more. */
    @Override
    public void close() {
        List<HeldFailure> remaining;
        synchronized (this) {
            remaining = new ArrayList<>(held.values());
            held.clear();
        }
        remaining.forEach(failure -> print(failure.line()));
    }

    private void printIfStillHeld(HeldFailure failure) {
        boolean stillHeld;
        synchronized (this) {
            stillHeld = held.remove(failure.line(), failure);
        }
        if (stillHeld) {
            print(failure.line());
        }
    }

    private void print(String line) {
        String painted = palette.failure("<--- ERROR " + TerminalText.safe(line));
        synchronized (out) {
            out.print(painted);
            out.flush();
        }
    }

    /**
     * {@code target}: "name:port" or "address:port". Equal only to itself: a timer must find its own failure
     * held, not a later one with the same text whose grace has just begun.
     */
    private static final class HeldFailure {
        private final String target;
        private final String reason;

        HeldFailure(String target, String reason) {
            this.target = target;
            this.reason = reason;
        }

        String target() {
            return target;
        }

        String line() {
            return target + ": " + reason;
        }
    }
}
