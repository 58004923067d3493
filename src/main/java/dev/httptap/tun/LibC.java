package dev.httptap.tun;

import jnr.ffi.Pointer;

/**
 * The few C library calls jnr-posix does not offer, bound with jnr-ffi. Load it through {@link Native},
 * never directly: binding costs hundreds of milliseconds.
 */
public interface LibC {
    int POLLIN = 0x001;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    /** poll(2) over {@code nfds} 8-byte {@code struct pollfd}s; nfds_t is a 64-bit unsigned long here. */
    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** eventfd(2): a counter descriptor, used to wake a thread blocked in poll. */
    int eventfd(int initialValue, int flags);

    /** send(2): the relay sends empty UDP datagrams with it, which Java's DatagramChannel cannot. */
    int send(int fd, Pointer buffer, long length, int flags);

    /** tcgetpgrp(3): the foreground process group of the terminal open on {@code fd}. */
    int tcgetpgrp(int fd);
}
