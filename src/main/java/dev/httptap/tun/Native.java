package dev.httptap.tun;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The one place native libraries are loaded. Binding jnr-posix costs 250-600 ms, the largest part of
 * httptap's start-up, so it happens once, lazily, and {@link #preload()} lets the CLI start it on a
 * background thread while it does other start-up work.
 */
public final class Native {
    private record Libraries(POSIX posix, LibC libc, jnr.ffi.Runtime runtime) {}

    private static final AtomicBoolean started = new AtomicBoolean();
    private static final CompletableFuture<Libraries> libraries = new CompletableFuture<>();

    private Native() {}

    /** Starts loading on a background thread, if it has not started yet; returns at once. */
    public static void preload() {
        if (started.compareAndSet(false, true)) {
            Thread loader = new Thread(Native::load, "httptap-native-preload");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** jnr-posix, loaded on first use (or waiting for {@link #preload()} to finish). */
    public static POSIX posix() {
        return libraries().posix();
    }

    /** The calls jnr-posix lacks. */
    public static LibC libc() {
        return libraries().libc();
    }

    /** The jnr-ffi runtime, to allocate native memory for {@link LibC} calls. */
    public static jnr.ffi.Runtime runtime() {
        return libraries().runtime();
    }

    /** errno's text for the calling thread's last native call, e.g. "Permission denied". */
    public static String lastErrorText() {
        POSIX posix = posix();
        return posix.strerror(posix.errno());
    }

    private static Libraries libraries() {
        if (started.compareAndSet(false, true)) {
            load();
        }
        try {
            return libraries.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("cannot load native libraries: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void load() {
        try {
            LibC libc = LibraryLoader.create(LibC.class).load("c");
            libraries.complete(new Libraries(POSIXFactory.getNativePOSIX(), libc, jnr.ffi.Runtime.getRuntime(libc)));
        } catch (RuntimeException | LinkageError e) {
            libraries.completeExceptionally(e);
        }
    }
}
