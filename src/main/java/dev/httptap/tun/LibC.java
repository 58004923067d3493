package dev.httptap.tun;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The C library calls the relay's start needs (descriptors, the TUN device, the control socket's hand-off),
 * bound with jnr-ffi; those for starting and watching processes are in {@link ProcessCalls}. Load both
 * through {@link Native}, never directly: binding takes tens of milliseconds, so it is done once, in the
 * background, and a run whose command the launcher started binds only this half on its way to the first
 * packet (~2.5 ms of CPU per method bound).
 *
 * <p>The list is kept to exactly what httptap calls, because each method adds to the binding's cost
 * (jnr-posix, which binds hundreds, cost 250-600 ms of start-up). Failures return -1 and leave errno in
 * {@link Native#errno()}.
 *
 * <p>Types assume an LP64 Linux (x86_64, aarch64): {@code size_t}, {@code ssize_t} and {@code nfds_t} are
 * Java {@code long}, {@code pid_t} is {@code int}. The constants are Linux's, the same on both (the
 * aarch64 values come from asm-generic, which agrees with x86_64 for every one used here).
 */
public interface LibC {
    int EINTR = 4;
    int EAGAIN = 11;

    int SIGKILL = 9;
    int SIGTERM = 15;

    int O_RDONLY = 0;
    int O_NOCTTY = 0x100;
    int O_NONBLOCK = 0x800;
    int F_GETFL = 3;
    int F_SETFL = 4;

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_CMSG_CLOEXEC = 0x40000000;

    int POLLIN = 0x001;
    int EPOLLIN = 0x001;
    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    // Descriptors and plain I/O. A direct ByteBuffer is passed by address, from its position.

    int close(int fd);

    long read(int fd, ByteBuffer buffer, long count);

    long read(int fd, @Out byte[] buffer, long count);

    long write(int fd, ByteBuffer buffer, long count);

    long write(int fd, @In byte[] buffer, long count);

    /** fcntl(2) is variadic; an int third argument travels in the same register either way on LP64 Linux. */
    int fcntl(int fd, int command, int argument);

    /** poll(2) over {@code nfds} 8-byte {@code struct pollfd}s. */
    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** eventfd(2): a counter descriptor, used to wake a thread blocked in poll. */
    int eventfd(int initialValue, int flags);

    /** epoll_ctl(2); {@code event} is a {@code struct epoll_event} (12 bytes on x86-64, 16 elsewhere). */
    int epoll_ctl(int epollFd, int operation, int fd, Pointer event);

    // The helper's control socket: descriptor passing.

    /** recvmsg(2); {@code message} is a {@code struct msghdr} (see the sandbox's message layout). */
    long recvmsg(int fd, Pointer message, int flags);

    // The relay's empty UDP datagrams.

    /** send(2): the relay sends empty UDP datagrams with it, which Java's DatagramChannel cannot. */
    int send(int fd, Pointer buffer, long length, int flags);

    String strerror(int errno);
}
