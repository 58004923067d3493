package dev.httptap.sandbox;

import dev.httptap.log.Log;
import dev.httptap.tun.Native;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import jnr.constants.platform.Errno;
import jnr.posix.POSIX;
import jnr.posix.SpawnFileAction;

/**
 * The helper process (which becomes the command), spawned and reaped by one dedicated thread.
 *
 * <p>The helper asks the kernel to SIGKILL it when its parent goes away, and for a multithreaded parent
 * "parent" means the <em>thread</em> that spawned it. So the spawning thread must outlive the child:
 * here it spawns, then blocks in waitpid until the child has ended, and only then finishes.
 */
final class ChildProcess {
    private final int pid;
    private final CompletableFuture<Integer> exitCode;

    private ChildProcess(int pid, CompletableFuture<Integer> exitCode) {
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * Spawns {@code argv} with {@code controlFd} as its fd 3. jnr's posix_spawnp does not keep errno, so
     * a failure here can only say that the spawn failed; the helper reports everything after that.
     */
    static ChildProcess spawn(List<String> argv, List<String> envp, int controlFd) throws IOException {
        POSIX posix = Native.posix(); // loaded here, so that a failure to load is thrown to the caller
        CompletableFuture<Integer> spawned = new CompletableFuture<>();
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread thread = new Thread(() -> spawnAndReap(posix, argv, envp, controlFd, spawned, exitCode), "httptap-child");
        thread.setDaemon(true);
        thread.start();
        int pid = spawned.join();
        if (pid <= 0) {
            throw new IOException("cannot start the native helper " + argv.get(0));
        }
        return new ChildProcess(pid, exitCode);
    }

    private static void spawnAndReap(POSIX posix, List<String> argv, List<String> envp, int controlFd,
            CompletableFuture<Integer> spawned, CompletableFuture<Integer> exitCode) {
        int pid;
        try {
            pid = (int) posix.posix_spawnp(argv.get(0), List.of(SpawnFileAction.dup(controlFd, 3)), argv, envp);
        } catch (RuntimeException e) {
            Log.verbose("posix_spawnp failed: %s", e);
            pid = -1;
        }
        spawned.complete(pid);
        if (pid > 0) {
            exitCode.complete(reap(posix, pid));
        }
    }

    /** Waits for the child to end; returns its exit code as a shell would show it. */
    private static int reap(POSIX posix, int pid) {
        int[] status = new int[1];
        while (posix.waitpid(pid, status, 0) < 0) {
            int errno = posix.errno();
            if (errno != Errno.EINTR.intValue()) {
                Log.error("lost track of the command (waitpid: %s)", posix.strerror(errno));
                return 255;
            }
        }
        return WaitStatus.exitCode(status[0]);
    }

    int pid() {
        return pid;
    }

    boolean hasExited() {
        return exitCode.isDone();
    }

    /** Blocks until the child has ended and returns its exit code (128+N if killed by signal N). */
    int waitFor() throws InterruptedException {
        try {
            return exitCode.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the reaper thread failed", e.getCause());
        }
    }

    /**
     * Sends a signal unless the child has already been reaped (its pid could then belong to another
     * process). The window between waitpid returning and this check is a few instructions wide.
     */
    void signal(int signal) {
        if (!hasExited()) {
            Native.posix().kill(pid, signal);
        }
    }
}
