package dev.httptap.tun;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;

/**
 * The one place the C library is bound. Binding is the slowest step of httptap's start-up, so it
 * happens once, and {@link #preload()} lets the CLI start it on a background thread while it does
 * everything that needs no native call.
 */
public final class Native {
    private record Binding(LibC libc, jnr.ffi.Runtime runtime) {}

    private static final AtomicBoolean started = new AtomicBoolean();
    private static final CompletableFuture<Binding> binding = new CompletableFuture<>();
    private static final AtomicBoolean processCallsStarted = new AtomicBoolean();
    private static final CompletableFuture<ProcessCalls> processCalls = new CompletableFuture<>();

    private Native() {}

    /**
     * Starts binding {@link LibC} on a background thread, then {@link ProcessCalls} too if
     * {@code processCallsToo} (httptap will start the command itself); returns at once.
     */
    public static void preload(boolean processCallsToo) {
        boolean libc = started.compareAndSet(false, true);
        boolean processes = processCallsToo && processCallsStarted.compareAndSet(false, true);
        if (libc || processes) {
            Thread loader = new Thread(() -> {
                if (libc) {
                    load();
                }
                if (processes) {
                    loadProcessCalls();
                }
            }, "httptap-native-preload");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** The C library, bound on first use (or waiting for {@link #preload} to finish). */
    public static LibC libc() {
        return binding().libc();
    }

    /** The C library's process calls, bound on first use (or waiting for {@link #preload} to finish). */
    public static ProcessCalls processes() {
        if (processCallsStarted.compareAndSet(false, true)) {
            loadProcessCalls();
        }
        return joined(processCalls);
    }

    /** The jnr-ffi runtime, to allocate native memory for {@link LibC} calls. */
    public static jnr.ffi.Runtime runtime() {
        return binding().runtime();
    }

    /** errno as the calling thread's last {@link LibC} call left it. */
    public static int errno() {
        return LastError.getLastError(runtime());
    }

    /** The text for an error number, e.g. "Permission denied". */
    public static String errorText(int errno) {
        return libc().strerror(errno);
    }

    /** errno's text for the calling thread's last native call. */
    public static String lastErrorText() {
        return errorText(errno());
    }

    private static Binding binding() {
        if (started.compareAndSet(false, true)) {
            load();
        }
        return joined(binding);
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("cannot load the C library binding: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void load() {
        settle(binding, () -> {
            LibC libc = bind(LibC.class);
            return new Binding(libc, jnr.ffi.Runtime.getRuntime(libc));
        });
    }

    private static void loadProcessCalls() {
        settle(processCalls, () -> bind(ProcessCalls.class));
    }

    /**
     * Binds through jnr-ffi's reflection loader, not its default one, which generates a class with ASM:
     * ASM's classes are too old for the start-up archive, and generating cost ~80 ms more CPU (and a C2
     * compile of ASM) on the path to the child's first request. The price is ~100 ns more per call, next
     * to the system call itself. Each function's invoker is made at its first call (~2-5 ms each in a cold
     * JVM), so a run makes only those it uses: making all of them here in the background first
     * ({@code failImmediately}) kept the main thread waiting ~20-40 ms longer for the binding before the relay
     * could start (first plain request 268-285 ms against 243-249, alternating runs; docs/benchmarks.md).
     */
    private static <T> T bind(Class<T> calls) {
        System.setProperty("jnr.ffi.asm.enabled", "false"); // read once, by the loader jnr-ffi picks
        return LibraryLoader.create(calls).load("c");
    }

    private static <T> void settle(CompletableFuture<T> result, Supplier<T> work) {
        try {
            result.complete(work.get());
        } catch (RuntimeException | LinkageError e) {
            result.completeExceptionally(e);
        }
    }
}
