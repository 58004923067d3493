package dev.httptap.sandbox;

import dev.httptap.log.Log;
import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import dev.httptap.tun.ProcessCalls;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
     * Spawns {@code argv} with {@code controlFd} as its fd 3. A failure here can only be the spawn's
     * own (e.g. the helper is not executable); the helper reports everything after that.
     */
    static ChildProcess spawn(List<String> argv, List<String> envp, int controlFd) throws IOException {
        Native.processes(); // bound here, so that a failure to bind is thrown to the caller
        CompletableFuture<Integer> spawned = new CompletableFuture<>();
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread thread = new Thread(() -> spawnAndReap(argv, envp, controlFd, spawned, exitCode), "httptap-child");
        thread.setDaemon(true);
        thread.start();
        try {
            return new ChildProcess(spawned.join(), exitCode);
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException cause ? cause : new IOException(e.getCause().toString(), e.getCause());
        }
    }

    /**
     * A command this process did not spawn (the launcher's lead process did, and reaps it):
     * {@code exitCodeReport} blocks until the lead reports how it ended. Called on a thread of its own.
     */
    static ChildProcess supervised(int pid, ExitCodeSource exitCodeReport) {
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                exitCode.complete(exitCodeReport.await());
            } catch (IOException e) {
                Log.error("lost track of the command (%s)", e.getMessage());
                exitCode.complete(255);
            }
        }, "httptap-child");
        thread.setDaemon(true);
        thread.start();
        return new ChildProcess(pid, exitCode);
    }

    /** Where the exit code of a supervised command comes from. */
    @FunctionalInterface
    interface ExitCodeSource {
        int await() throws IOException;
    }

    private static void spawnAndReap(List<String> argv, List<String> envp, int controlFd,
            CompletableFuture<Integer> spawned, CompletableFuture<Integer> exitCode) {
        int pid;
        try {
            pid = PosixSpawn.start(argv, envp, controlFd);
        } catch (IOException | RuntimeException e) {
            spawned.completeExceptionally(e);
            return;
        }
        spawned.complete(pid);
        exitCode.complete(reap(pid));
    }

    /** Waits for the child to end; returns its exit code as a shell would show it. */
    private static int reap(int pid) {
        ProcessCalls calls = Native.processes();
        int[] status = new int[1];
        while (calls.waitpid(pid, status, 0) < 0) {
            int errno = Native.errno();
            if (errno != LibC.EINTR) {
                Log.error("lost track of the command (waitpid: %s)", Native.errorText(errno));
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
            Native.processes().kill(pid, signal);
        }
    }
}
