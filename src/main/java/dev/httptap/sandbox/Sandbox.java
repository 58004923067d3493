package dev.httptap.sandbox;

import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import dev.httptap.tun.PacketDevice;
import dev.httptap.tun.TunDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A command running in private namespaces whose only network is a TUN device httptap holds.
 *
 * <p>{@link #start} spawns the native helper, which builds the namespaces and the TUN device and hands
 * the device's descriptor back; the command is then ready but paused, so that httptap can start serving
 * the device before the first packet. {@link #release()} lets the command run. The command runs in a PID
 * namespace of its own under a tiny init (native-helper/init.c), so that every process it starts ends when
 * httptap does, even killed with SIGKILL; the helper stays in between, passing signals on: {@link #pid()} is
 * the helper's, and {@link #waitFor()} returns the command's exit code.
 *
 * <p>On the early start the launcher's lead process has already started the command (native-helper/lead.c):
 * {@link #adopt} takes over the device it hands on, {@link #release()} tells the lead the device is being
 * served, and {@link #waitFor()} returns the exit code the lead reports.
 */
public final class Sandbox implements AutoCloseable {
    private enum State { PAUSED, RUNNING, CLOSED }

    /** What becomes of the processes the command leaves running when it exits. */
    public enum Leftovers {
        /** They end with it: its PID namespace ends. */
        END_WITH_COMMAND,
        /** They live on until the sandbox is closed (httptap --no-exit). */
        OUTLIVE_COMMAND
    }

    private final ChildProcess child;
    private final ControlSocket control;
    private final TunDevice device;
    /** Held so that the namespace, its TUN device and the packets queued there outlive the command. */
    private final int networkNamespace;
    /** Started by the lead process: the control socket stays open to hear the command's exit code. */
    private final boolean adopted;
    private State state = State.PAUSED;

    private Sandbox(ChildProcess child, ControlSocket control, TunDevice device, int networkNamespace, boolean adopted) {
        this.child = child;
        this.control = control;
        this.device = device;
        this.networkNamespace = networkNamespace;
        this.adopted = adopted;
    }

    /**
     * Starts, on background threads, the start-up work that needs nothing from the command line: binding
     * the C library and, unless the launcher has started the command already ({@code commandStarted}),
     * its process calls and finding the helper executable. Returns at once; {@link #start} and
     * {@link #adopt} use the results.
     */
    public static void preload(boolean commandStarted) {
        Native.preload(!commandStarted);
        if (!commandStarted) {
            HelperBinary.preload();
        }
    }

    /** Creates the sandbox for a command whose leftovers end with it: see {@link #start(SandboxSpec, Leftovers)}. */
    public static Sandbox start(SandboxSpec spec) throws SandboxException {
        return start(spec, Leftovers.END_WITH_COMMAND);
    }

    /**
     * Creates the sandbox and returns with the command paused. Any failure, including the helper's
     * (e.g. no user namespaces, no access to /dev/net/tun), is a {@link SandboxException} whose message is
     * one line saying what to fix.
     */
    public static Sandbox start(SandboxSpec spec, Leftovers leftovers) throws SandboxException {
        Path helper;
        ControlSocket control;
        try {
            helper = HelperBinary.locate();
            control = ControlSocket.open();
        } catch (IOException e) {
            throw new SandboxException(e.getMessage(), e);
        }
        try {
            ChildProcess child = ChildProcess.spawn(
                    HelperArguments.argv(helper, spec, leftovers), HelperArguments.envp(spec), control.helperEnd());
            control.closeHelperEnd();
            return handedOver(child, control, control.receive(), false);
        } catch (IOException e) {
            control.close();
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /**
     * Takes over the command {@code pid} that the launcher's lead process started early, receiving its
     * device over the control socket this process was started with ({@code controlFd}).
     */
    public static Sandbox adopt(int pid, int controlFd) throws SandboxException {
        ControlSocket control = ControlSocket.adopt(controlFd);
        try {
            ControlSocket.HandOff handOff = control.receive();
            // Only now: the exit report comes over the same socket, after the hand-off.
            return handedOver(ChildProcess.supervised(pid, control::awaitExitCode), control, handOff, true);
        } catch (IOException e) {
            control.close();
            throw new SandboxException(e.getMessage(), e);
        }
    }

    private static Sandbox handedOver(ChildProcess child, ControlSocket control, ControlSocket.HandOff handOff,
            boolean adopted) throws IOException, SandboxException {
        if (handOff instanceof ControlSocket.HandOff.Device handed) {
            return new Sandbox(child, control, deviceFor(handed, control, child), handed.networkNamespace(), adopted);
        }
        throw failure(((ControlSocket.HandOff.Failure) handOff).message(), control, child);
    }

    private static TunDevice deviceFor(ControlSocket.HandOff.Device handed, ControlSocket control, ChildProcess child)
            throws IOException {
        try {
            return new TunDevice(handed.tun());
        } catch (IOException e) {
            control.close(); // the paused helper sees end-of-file and exits without running the command
            Native.libc().close(handed.tun());
            closeNamespace(handed.networkNamespace());
            awaitQuietly(child);
            throw e;
        }
    }

    private static void closeNamespace(int fd) {
        if (fd >= 0) {
            Native.libc().close(fd);
        }
    }

    private static SandboxException failure(String message, ControlSocket control, ChildProcess child) {
        control.close();
        int exitCode = awaitQuietly(child);
        if (message.isBlank()) {
            return new SandboxException("the namespace helper exited with code " + exitCode + " without setting up the sandbox");
        }
        return new SandboxException(message.strip());
    }

    /** Waits for a helper that is exiting anyway; returns its exit code, or -1 if interrupted. */
    private static int awaitQuietly(ChildProcess child) {
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Whether the launcher's lead process started the command ({@link #adopt}), and so reaps it and passes it signals. */
    public boolean adopted() {
        return adopted;
    }

    /** The TUN device: every packet the command sends arrives here. */
    public PacketDevice device() {
        return device;
    }

    /** The command's process id. */
    public int pid() {
        return child.pid();
    }

    /**
     * Lets the paused command start. Call once, after the device is being served. The control socket stays
     * open until {@link #close()}: with {@link Leftovers#OUTLIVE_COMMAND} its end tells the namespace's init
     * that httptap has finished (or died).
     */
    public synchronized void release() throws SandboxException {
        if (state != State.PAUSED) {
            throw new IllegalStateException("the command was already released or closed");
        }
        try {
            control.sendGo();
        } catch (IOException e) {
            control.close();
            throw new SandboxException(e.getMessage(), e);
        }
        state = State.RUNNING;
    }

    /** Waits for the command to end; returns its exit code, 128+N if it was killed by signal N. */
    public int waitFor() throws InterruptedException {
        return child.waitFor();
    }

    /** Sends signal number {@code signal} to the command, if it is still running. */
    public void signal(int signal) {
        child.signal(signal);
    }

    /**
     * Ends the sandbox: a paused command never starts, a running one is killed (SIGKILL) with every process
     * of its namespace, and the TUN device is closed. Returns once the helper is gone. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (state == State.PAUSED && !adopted) {
                control.close(); // the helper sees end-of-file instead of "go" and exits
            } else {
                child.signal(LibC.SIGKILL);
            }
            state = State.CLOSED;
        }
        if (!adopted) {
            awaitQuietly(child);
        } // the lead reaps an adopted command, and reports its end only after this process has finished
        control.close();
        device.close();
        closeNamespace(networkNamespace);
    }
}
