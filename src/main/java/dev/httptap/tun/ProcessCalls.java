package dev.httptap.tun;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;

/**
 * The C library calls for starting, signalling and reaping the helper and for asking the terminal who is in
 * the foreground: needed only when httptap starts the command itself, so bound apart from {@link LibC}
 * (see there; the constants are there too). Load through {@link Native#processes()}. posix_spawnp and
 * friends return the error number itself; the others -1, with errno in {@link Native#errno()}.
 */
public interface ProcessCalls {
    int socketpair(int domain, int type, int protocol, @Out int[] pair);

    /** Returns 0 or an error number (not -1 and errno); {@code attributes} may be null. */
    int posix_spawnp(@Out int[] pid, String file, Pointer fileActions, Pointer attributes, Pointer argv, Pointer envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int waitpid(int pid, @Out int[] status, int options);

    int kill(int pid, int signal);

    int open(String path, int flags, int mode);

    int getpgrp();

    /** tcgetpgrp(3): the foreground process group of the terminal open on {@code fd}. */
    int tcgetpgrp(int fd);
}
