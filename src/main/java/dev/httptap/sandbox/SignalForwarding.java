package dev.httptap.sandbox;

import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import dev.httptap.tun.ProcessCalls;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How httptap treats signals while the command runs: it ends when the command ends, not before.
 *
 * <ul>
 *   <li>SIGTERM and SIGHUP sent to httptap are passed on to the command (which then exits, and so does
 *       httptap, with the command's exit code); so are SIGUSR1, SIGUSR2 and SIGALRM, which would otherwise
 *       end the JVM (SIGUSR2 only when the launcher moved HotSpot's use of it, see lead.c).
 *   <li>SIGINT from the terminal (Ctrl-C) already reaches the command, which shares httptap's process
 *       group; httptap ignores its own copy. When httptap is not in the terminal's foreground group (a
 *       script's {@code kill -INT}, a background job), nobody else will tell the command, so it is passed on.
 *   <li>SIGQUIT (Ctrl-\) is kept by the JVM for thread dumps and never kills it; the command gets its own.
 * </ul>
 * {@code sun.misc.Signal} is used because Java has no supported API for handling signals; it is in the
 * jdk.unsupported module, present in every JDK 17.
 */
public final class SignalForwarding implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private SignalForwarding() {}

    /** Handles nothing: for a command whose signals someone else passes on. */
    public static SignalForwarding none() {
        return new SignalForwarding();
    }

    /** Installs the handlers for {@code sandbox}'s command; {@link #close()} restores the previous ones. */
    public static SignalForwarding install(Sandbox sandbox) {
        SignalForwarding forwarding = new SignalForwarding();
        forwarding.handle(new Signal("TERM"), signal -> sandbox.signal(signal.getNumber()));
        forwarding.handle(new Signal("HUP"), signal -> sandbox.signal(signal.getNumber()));
        for (String name : new String[] {"USR1", "USR2", "ALRM"}) {
            forwarding.handleIfFree(new Signal(name), signal -> sandbox.signal(signal.getNumber()));
        }
        forwarding.handle(new Signal("INT"), signal -> {
            if (!inTerminalForeground()) {
                sandbox.signal(signal.getNumber());
            }
        });
        return forwarding;
    }

    private void handle(Signal signal, SignalHandler handler) {
        previous.put(signal, Signal.handle(signal, handler));
    }

    /**
     * Like {@link #handle}, for a signal the JVM may keep for itself: SIGUSR2 suspends threads in HotSpot
     * unless the launcher moved that elsewhere (_JAVA_SR_SIGNUM), and then cannot be handled here.
     */
    private void handleIfFree(Signal signal, SignalHandler handler) {
        try {
            handle(signal, handler);
        } catch (IllegalArgumentException usedByTheJvm) {
            // Left to the JVM: run through ./httptap, which moves it, this does not happen.
        }
    }

    /** Whether httptap's process group is the foreground group of its controlling terminal (if it has one). */
    static boolean inTerminalForeground() {
        ProcessCalls calls = Native.processes();
        int tty = calls.open("/dev/tty", LibC.O_RDONLY | LibC.O_NOCTTY, 0);
        if (tty < 0) {
            return false; // no controlling terminal: no Ctrl-C either
        }
        try {
            int foreground = calls.tcgetpgrp(tty);
            return foreground >= 0 && foreground == calls.getpgrp();
        } finally {
            Native.libc().close(tty);
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
