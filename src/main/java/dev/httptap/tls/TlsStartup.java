package dev.httptap.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The slow parts of a run's TLS set-up, started on their own threads as the run begins so that they
 * overlap the sandbox's start: the CA's key and certificate (Bouncy Castle loading, key generation) and
 * the upstream trust (JSSE loading, parsing the JDK's trust store), each a few hundred milliseconds cold.
 */
public final class TlsStartup {
    private final CompletableFuture<CertificateAuthority> authority;
    private final CompletableFuture<UpstreamTrust> upstreamTrust;
    private final boolean userTrust;
    private final boolean insecure;

    private TlsStartup(CompletableFuture<CertificateAuthority> authority, CompletableFuture<UpstreamTrust> upstreamTrust,
            boolean userTrust, boolean insecure) {
        this.authority = authority;
        this.upstreamTrust = upstreamTrust;
        this.userTrust = userTrust;
        this.insecure = insecure;
    }

    public static TlsStartup begin(Optional<Path> caFile, boolean insecure) {
        return new TlsStartup(
                inBackground("httptap-ca", () -> CertificateAuthority.create(Instant.now())),
                inBackground("httptap-trust", () -> UpstreamTrust.create(caFile, insecure)),
                caFile.isPresent(), insecure);
    }

    /**
     * Fills the child's trust files once the CA exists. Throws {@link IllegalStateException} with a
     * message fit for the user when it cannot.
     */
    public void writeChildTrust(ChildTrust trust) {
        try {
            trust.write(join(authority));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the CA files: " + e.getMessage(), e);
        }
    }

    /**
     * What intercepted connections share. Throws {@link IllegalArgumentException} for an unusable
     * {@code --ca-file}, so that the run stops before the child starts. Without one the upstream trust
     * cannot fail on the user's input, and only the first TLS connection waits for it (JSSE's set-up,
     * tens of milliseconds); {@link IllegalStateException} there if TLS cannot be set up at all.
     */
    public InterceptionContext context() {
        UpstreamTrust trust = userTrust ? join(upstreamTrust) : UpstreamTrust.deferred(() -> join(upstreamTrust), !insecure);
        return new InterceptionContext(trust, new LeafContexts(authority), new RejectingClients());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** A daemon thread of its own: the common pool has a single thread on a two-core machine. */
    private static <T> CompletableFuture<T> inBackground(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
