package dev.httptap.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The slow parts of a run's TLS set-up, started on their own threads as the run begins so that they
 * overlap the sandbox's start: the CA's key and certificate (Bouncy Castle loading, key generation) with the
 * child's trust files, and the upstream trust (JSSE loading, parsing the JDK's trust store), each tens of
 * milliseconds of CPU at start-up. Then, with the CA made and the relay running and idle ({@link QuietRelay}),
 * a {@link TlsRehearsal} plays one connection in memory, so that a child that does not ask at once finds the
 * TLS path warm.
 */
public final class TlsStartup implements AutoCloseable {
    /** The CA's work, once allowed to start. */
    private final CompletableFuture<Supplier<CertificateAuthority>> gatedAuthority;
    private final CompletableFuture<CertificateAuthority> authority;
    /** The certificates of --ca-file, if any. */
    private final CompletableFuture<List<X509Certificate>> userAnchors;
    private final CompletableFuture<UpstreamTrust> upstreamTrust;
    private final boolean insecure;
    /** Set when the child's first TLS connection asks for the upstream trust: the rehearsal then stops. */
    private final AtomicBoolean childConnected = new AtomicBoolean();
    /** Whether the CA's work writes files the caller deletes after {@link #close()}, which must then wait for it. */
    private boolean authorityWritesFiles = true;

    private TlsStartup(CompletableFuture<Supplier<CertificateAuthority>> gatedAuthority,
            CompletableFuture<CertificateAuthority> authority, CompletableFuture<List<X509Certificate>> userAnchors,
            CompletableFuture<UpstreamTrust> upstreamTrust, boolean insecure) {
        this.gatedAuthority = gatedAuthority;
        this.authority = authority;
        this.userAnchors = userAnchors;
        this.upstreamTrust = upstreamTrust;
        this.insecure = insecure;
    }

    /**
     * Starts the CA and the upstream trust on threads of their own, once {@code gate} completes: at once
     * when the child's trust files wait for the CA, after the relay has started when they are ready (a kept
     * CA), so that loading TLS does not compete with the start for the two cores. {@code authority} loads or
     * makes the CA, filling the child's trust files as needed. {@code relayStarted} completes once the relay
     * runs, with how long it has waited for work (its {@code idleNanos}); once the upstream trust is made (after
     * the CA) and the relay is idle, a {@link TlsRehearsal} warms the TLS path until the child's first TLS
     * connection. Not sooner, and not at a lower priority: what it would be first to initialise (Conscrypt,
     * the leaf key), the trust's thread and the first connection would wait for; niced, that wait had been
     * 100-115 ms.
     */
    public static TlsStartup begin(Optional<Path> caFile, boolean insecure, Supplier<CertificateAuthority> authority,
            CompletableFuture<?> gate, CompletableFuture<? extends LongSupplier> relayStarted) {
        JsseLimits.apply(); // before anything loads JSSE
        TlsStartup startup = begin(caFile, insecure, gate.thenApply(ignored -> authority));
        BooleanSupplier childConnected = startup.childConnected::get;
        startup.upstreamTrust.thenCombine(relayStarted, (trust, idleNanos) -> idleNanos).thenAcceptAsync(
                idleNanos -> {
                    CertificateAuthority ca = startup.authority.join();
                    if (new QuietRelay(idleNanos).await(childConnected)) {
                        TlsRehearsal.play(ca, ca.certificate(), TlsLibrary.chosen(), () -> !childConnected.getAsBoolean());
                    }
                },
                work -> daemon("httptap-rehearsal", work).start());
        return startup;
    }

    private static TlsStartup begin(Optional<Path> caFile, boolean insecure,
            CompletableFuture<Supplier<CertificateAuthority>> gatedAuthority) {
        CompletableFuture<CertificateAuthority> authority =
                inBackground("httptap-ca", () -> gatedAuthority.join().get());
        // A --ca-file is read at once, so that a bad one stops the run before the relay starts; the trust
        // built from it waits like the default one.
        CompletableFuture<List<X509Certificate>> userAnchors = caFile.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : inBackground("httptap-ca-file", () -> UpstreamTrust.readCertificates(caFile.get()));
        CompletableFuture<UpstreamTrust> upstreamTrust = inBackground("httptap-trust", () -> {
            // Loading the trust store and JSSE's set-up (~130 ms of CPU at start-up) wait for the child's trust
            // files: only TLS connections need them, and until then the child's start should not share the
            // two cores with them (started at once, the first HTTPS exchange of a run was no sooner). The TLS
            // library loads beside the CA (Conscrypt: 27-38 ms on a cold JVM), then the trust needs them both.
            settled(gatedAuthority);
            TlsLibrary.chosen();
            settled(authority);
            if (!insecure) {
                daemon("httptap-jdk-anchors", UpstreamTrust::loadJdkAnchors).start();
            }
            return UpstreamTrust.create(join(userAnchors), insecure);
        });
        return new TlsStartup(gatedAuthority, authority, userAnchors, upstreamTrust, insecure);
    }

    /**
     * Waits until the child's trust files hold the CA. Throws {@link IllegalStateException} with a message
     * fit for the user when they cannot.
     */
    public void awaitChildTrust() {
        join(authority);
    }

    /**
     * What intercepted connections share. Throws {@link IllegalArgumentException} for an unusable
     * {@code --ca-file}, so that the run stops before the relay starts. Only the first TLS connection waits
     * for the upstream trust (the trust store and JSSE's set-up); {@link IllegalStateException} there if TLS
     * cannot be set up at all.
     */
    public InterceptionContext context() {
        join(userAnchors);
        UpstreamTrust trust = UpstreamTrust.deferred(() -> {
            childConnected.set(true);
            return join(upstreamTrust);
        }, !insecure);
        return new InterceptionContext(trust, new LeafContexts(authority), new UntouchedServers());
    }

    /**
     * The CA's work only reads (a kept CA): {@link #close()} need not wait for it. Loading one that the run no
     * longer needs had held a short run's end back by up to ~30 ms.
     */
    public TlsStartup authorityOnlyReads() {
        authorityWritesFiles = false;
        return this;
    }

    /**
     * Waits for the CA's thread to be done with the child's trust files, however it ended, so that the
     * caller may delete them (unless {@link #authorityOnlyReads}). CA work that was never allowed to start does
     * not start now.
     */
    @Override
    public void close() {
        gatedAuthority.completeExceptionally(new IllegalStateException("the run ended before TLS was needed"));
        if (authorityWritesFiles) {
            settled(authority);
        }
    }

    /** Waits for {@code future} to end, however it ends. */
    private static void settled(CompletableFuture<?> future) {
        future.exceptionally(failure -> null).join();
    }

    /** A new CA of the run's own ({@code --fresh-ca}), once {@code trust}'s files hold it. */
    public static Supplier<CertificateAuthority> freshAuthority(ChildTrust trust) {
        return () -> {
            CertificateAuthority ca = CertificateAuthority.create(Instant.now());
            try {
                trust.write(ca);
                trust.writeBrowsers();
                return ca;
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the CA files: " + e.getMessage(), e);
            }
        };
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
    static <T> CompletableFuture<T> inBackground(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        daemon(name, () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }).start();
        return result;
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }
}
