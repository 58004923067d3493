package dev.httptap.sandbox;

import dev.httptap.tun.LibC;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A {@code struct msghdr} for recvmsg(2) that receives up to {@code capacity} bytes and at most two
 * descriptors ({@code SCM_RIGHTS}), built in native memory.
 *
 * <p>The offsets are those of glibc and the kernel on LP64 Linux, the same on x86_64 and aarch64:
 * <pre>
 * struct msghdr  { void *msg_name;  0 | socklen_t msg_namelen;  8 | struct iovec *msg_iov; 16 |
 *                  size_t msg_iovlen; 24 | void *msg_control; 32 | size_t msg_controllen; 40 |
 *                  int msg_flags; 48 }                                                  56 bytes
 * struct iovec   { void *iov_base;  0 | size_t iov_len;  8 }                            16 bytes
 * struct cmsghdr { size_t cmsg_len; 0 | int cmsg_level;  8 | int cmsg_type; 12 | data 16 }
 * </pre>
 * Two ints of data need CMSG_SPACE(8) = 24 bytes of control buffer; the kernel reports CMSG_LEN(4) = 20
 * for one descriptor and CMSG_LEN(8) = 24 for two.
 * (musl declares msg_iovlen and msg_controllen as an int plus padding; on a little-endian machine the
 * 64-bit values written here read the same.)
 */
final class DescriptorMessage {
    static final int MSGHDR_BYTES = 56;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int IOVEC_BYTES = 16;
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;
    static final int CMSG_DATA = 16;
    static final int CONTROL_BYTES = 24;
    private static final int CMSG_LEN_ONE_INT = CMSG_DATA + Integer.BYTES;
    private static final int MAX_DESCRIPTORS = 2;

    private final Pointer header;
    private final Pointer iovec;
    private final Pointer data;
    private final Pointer control;

    DescriptorMessage(Runtime runtime, int capacity) {
        header = Memory.allocateDirect(runtime, MSGHDR_BYTES, true);
        iovec = Memory.allocateDirect(runtime, IOVEC_BYTES, true);
        data = Memory.allocateDirect(runtime, capacity, true);
        control = Memory.allocateDirect(runtime, CONTROL_BYTES, true);
        iovec.putPointer(0, data);
        iovec.putLong(8, capacity);
        header.putPointer(MSG_IOV, iovec);
        header.putLong(MSG_IOVLEN, 1);
        header.putPointer(MSG_CONTROL, control);
        header.putLong(MSG_CONTROLLEN, CONTROL_BYTES);
    }

    /** The {@code struct msghdr *} to pass to recvmsg(2); valid while this object is reachable. */
    Pointer header() {
        return header;
    }

    /**
     * The descriptors that arrived with the message, in order; none if there were none. recvmsg(2) has set
     * msg_controllen to the length of the control data it stored.
     */
    int[] descriptors() {
        long controlLength = header.getLong(MSG_CONTROLLEN);
        long messageLength = control.getLong(0);
        if (controlLength < CMSG_LEN_ONE_INT
                || messageLength < CMSG_LEN_ONE_INT
                || messageLength > controlLength
                || control.getInt(CMSG_LEVEL) != LibC.SOL_SOCKET
                || control.getInt(CMSG_TYPE) != LibC.SCM_RIGHTS) {
            return new int[0];
        }
        int[] fds = new int[(int) Math.min(MAX_DESCRIPTORS, (messageLength - CMSG_DATA) / Integer.BYTES)];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = control.getInt(CMSG_DATA + (long) i * Integer.BYTES);
        }
        return fds;
    }

    /** The first {@code length} received bytes as text. */
    String text(int length) {
        byte[] bytes = new byte[length];
        data.get(0, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
