package dev.httptap.sandbox;

import dev.httptap.tun.Native;
import dev.httptap.tun.ProcessCalls;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * posix_spawnp(3) with one descriptor handed over as the child's fd 3. Not ProcessBuilder: it closes
 * every descriptor but 0-2 in the child, so it cannot pass the control socket.
 */
final class PosixSpawn {
    /**
     * glibc's {@code posix_spawn_file_actions_t} is 80 bytes on LP64 (musl's too); the spare room only
     * guards against a libc that grows it.
     */
    private static final int FILE_ACTIONS_BYTES = 256;
    private static final int CHILD_FD = 3;

    private PosixSpawn() {}

    /**
     * Starts {@code argv} (looked up in httptap's own PATH unless it has a slash, like execvp) with
     * environment {@code envp} and {@code fd} duplicated onto its fd 3; returns its pid. The dup clears
     * close-on-exec on the child's copy only.
     */
    static int start(List<String> argv, List<String> envp, int fd) throws IOException {
        ProcessCalls libc = Native.processes();
        Runtime runtime = Native.runtime();
        CStringArray arguments = CStringArray.of(runtime, argv);
        CStringArray environment = CStringArray.of(runtime, envp);
        Pointer actions = Memory.allocateDirect(runtime, FILE_ACTIONS_BYTES, true);
        check("posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions));
        try {
            check("posix_spawn_file_actions_adddup2", libc.posix_spawn_file_actions_adddup2(actions, fd, CHILD_FD));
            int[] pid = new int[1];
            int error = libc.posix_spawnp(pid, argv.get(0), actions, null, arguments.pointer(), environment.pointer());
            if (error != 0) {
                throw new IOException("cannot start " + argv.get(0) + ": " + Native.errorText(error));
            }
            return pid[0];
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            // The native arrays must outlive the call: keep them reachable until here.
            Reference.reachabilityFence(arguments);
            Reference.reachabilityFence(environment);
        }
    }

    private static void check(String call, int error) throws IOException {
        if (error != 0) {
            throw new IOException("cannot prepare the helper's start (" + call + "): " + Native.errorText(error));
        }
    }
}
