package dev.httptap.sandbox;

import dev.httptap.tun.Native;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;

/**
 * httptap's end of the socketpair shared with the native helper (the helper's end becomes its fd 3).
 * Protocol (native-helper/handoff.c): the helper sends one byte 'T' with the TUN descriptor attached, or
 * else an error text and exits; httptap answers with one "go" byte, or closes the socket to cancel.
 */
final class ControlSocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MAX_ERROR_BYTES = 4096;

    /** What the helper sent: a TUN descriptor, or the reason it could not make one. */
    sealed interface HandOff {
        record Device(int fd) implements HandOff {}

        record Failure(String message) implements HandOff {}
    }

    private final POSIX posix = Native.posix();
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
        if (Native.posix().socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
            throw new IOException("cannot create the helper's control socket: " + Native.lastErrorText());
        }
        return new ControlSocket(pair[0], pair[1]);
    }

    /** The descriptor to pass to the helper as its fd 3. */
    int helperEnd() {
        return helpers;
    }

    /** Closes our copy of the helper's end once spawned, so that the helper's exit reads as end-of-file. */
    synchronized void closeHelperEnd() {
        if (helpers >= 0) {
            posix.close(helpers);
            helpers = -1;
        }
    }

    /** Blocks until the helper has sent the descriptor, an error, or exited without a word. */
    HandOff receive() throws IOException {
        MsgHdr message = posix.allocateMsgHdr();
        ByteBuffer data = ByteBuffer.allocateDirect(MAX_ERROR_BYTES);
        message.setIov(new ByteBuffer[] {data});
        message.allocateControl(Integer.BYTES);
        int length = posix.recvmsg(ours, message, MSG_CMSG_CLOEXEC);
        if (length < 0) {
            throw new IOException("cannot receive from the helper: " + Native.lastErrorText());
        }
        for (CmsgHdr control : message.getControls()) {
            if (control.getLevel() == SOL_SOCKET && control.getType() == SCM_RIGHTS) {
                // jnr hands the cmsg data out in big-endian order; the int in it is native.
                return new HandOff.Device(control.getData().order(ByteOrder.nativeOrder()).getInt(0));
            }
        }
        byte[] text = new byte[length];
        data.get(0, text);
        return new HandOff.Failure(new String(text, StandardCharsets.UTF_8) + readRest(MAX_ERROR_BYTES - length));
    }

    /** Reads the rest of an error text, up to end-of-file (the helper exits after sending it). */
    private String readRest(int limit) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[512];
        while (rest.size() < limit) {
            int n = posix.read(ours, chunk, chunk.length);
            if (n <= 0) {
                break;
            }
            rest.write(chunk, 0, n);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /** Lets the paused helper exec the command. */
    void sendGo() throws IOException {
        if (posix.write(ours, new byte[] {'g'}, 1) != 1) {
            throw new IOException("cannot tell the helper to start the command: " + Native.lastErrorText());
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeHelperEnd();
            posix.close(ours);
        }
    }
}
