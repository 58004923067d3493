package dev.httptap.sandbox;

import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * httptap's end of the socketpair shared with the native helper (the helper's end becomes its fd 3).
 * Protocol (native-helper/handoff.c): the helper sends one byte 'T' with the TUN and network namespace
 * descriptors attached, or else an error text and exits; httptap answers with one "go" byte, or closes the
 * socket to cancel. On the early start (native-helper/lead.c) the socket is fd 3 from birth, its other
 * end is the launcher's lead process, which forwards the hand-off, takes the "go" as "the device is being
 * served", and later sends "exit N\n" when the command it supervises has ended with code N.
 */
final class ControlSocket implements AutoCloseable {
    private static final int MAX_ERROR_BYTES = 4096;
    private static final int MAX_EXIT_LINE_BYTES = 32;

    /** What the helper sent: a TUN descriptor, or the reason it could not make one. */
    sealed interface HandOff {
        /** The TUN device, and the network namespace holding it (-1 if the helper sent none). */
        record Device(int tun, int networkNamespace) implements HandOff {}

        record Failure(String message) implements HandOff {}
    }

    private final LibC libc = Native.libc();
    private final int ours;
    private int helpers;
    private boolean closed;

    private ControlSocket(int ours, int helpers) {
        this.ours = ours;
        this.helpers = helpers;
    }

    /** A new close-on-exec socketpair (the spawn's dup to fd 3 clears close-on-exec on the helper's copy). */
    static ControlSocket open() throws IOException {
        int[] pair = new int[2];
        if (Native.processes().socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, pair) < 0) {
            throw new IOException("cannot create the helper's control socket: " + Native.lastErrorText());
        }
        return new ControlSocket(pair[0], pair[1]);
    }

    /** The socket this process was started with as {@code fd}, its peer being the launcher's lead process. */
    static ControlSocket adopt(int fd) {
        return new ControlSocket(fd, -1);
    }

    /** The descriptor to pass to the helper as its fd 3. */
    int helperEnd() {
        return helpers;
    }

    /** Closes our copy of the helper's end once spawned, so that the helper's exit reads as end-of-file. */
    synchronized void closeHelperEnd() {
        if (helpers >= 0) {
            libc.close(helpers);
            helpers = -1;
        }
    }

    /** Blocks until the helper has sent the descriptor, an error, or exited without a word. */
    HandOff receive() throws IOException {
        DescriptorMessage message = new DescriptorMessage(Native.runtime(), MAX_ERROR_BYTES);
        int length = receiveInto(message);
        int[] fds = message.descriptors();
        if (fds.length > 0) {
            return new HandOff.Device(fds[0], fds.length > 1 ? fds[1] : -1);
        }
        return new HandOff.Failure(message.text(length) + readRest(MAX_ERROR_BYTES - length));
    }

    /** recvmsg(2), retried if a signal interrupts it; returns the number of data bytes. */
    private int receiveInto(DescriptorMessage message) throws IOException {
        while (true) {
            long length = libc.recvmsg(ours, message.header(), LibC.MSG_CMSG_CLOEXEC);
            if (length >= 0) {
                return (int) length;
            }
            int errno = Native.errno();
            if (errno != LibC.EINTR) {
                throw new IOException("cannot receive from the helper: " + Native.errorText(errno));
            }
        }
    }

    /** Reads the rest of an error text, up to end-of-file (the helper exits after sending it). */
    private String readRest(int limit) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[512];
        while (rest.size() < limit) {
            int n = (int) libc.read(ours, chunk, chunk.length);
            if (n <= 0) {
                break;
            }
            rest.write(chunk, 0, n);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /** Lets the paused helper exec the command. */
    void sendGo() throws IOException {
        if (libc.write(ours, new byte[] {'g'}, 1) != 1) {
            throw new IOException("cannot tell the helper to start the command: " + Native.lastErrorText());
        }
    }

    /**
     * Blocks until the lead process reports the command's exit code ("exit N\n"). End-of-file instead means
     * the lead is gone, and with it the command (it dies with the lead): reported as SIGKILL's 137.
     */
    int awaitExitCode() throws IOException {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.length() < MAX_EXIT_LINE_BYTES) {
            long n = libc.read(ours, one, 1);
            if (n < 0 && Native.errno() == LibC.EINTR) {
                continue;
            }
            if (n <= 0 || one[0] == '\n') {
                break;
            }
            line.append((char) one[0]);
        }
        return ExitReport.parse(line.toString());
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeHelperEnd();
            libc.close(ours);
        }
    }
}
