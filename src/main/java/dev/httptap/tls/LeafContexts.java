package dev.httptap.tls;

import dev.httptap.log.Log;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Server-side TLS contexts presenting a leaf from the run's CA, one per server name (or address when the
 * client sent no SNI), made on first use and kept for the run, at most {@link #MAX_ENTRIES}, least
 * recently used first out. The CA itself may still be in the making when this is built.
 *
 * <p>A leaf can be {@link #prepare prepared} on a thread of its own while the real server's handshake runs,
 * since its name is known from the child's ClientHello: the first leaf of a run costs ~30 ms of a cold JVM
 * (key pair, Bouncy Castle's certificate builder, the signature), which then overlaps the server's
 * certificate check instead of following it.
 */
public final class LeafContexts {
    static final int MAX_ENTRIES = 512;

    private final Future<CertificateAuthority> authority;
    private final Map<String, CompletableFuture<SSLContext>> contexts;
    /** Where leaves are issued: one daemon thread in a run, the caller's thread in tests. */
    private final Executor issuer;
    /** Asked at the first leaf, not here: loading Conscrypt took 14-17 ms off the relay's start. */
    private final Supplier<TlsLibrary> library;
    private CertificateAuthority untrusted;
    /** Leaves are issued on their thread, those with a defect on the caller's: either may be first to fail. */
    private final AtomicBoolean authorityFailureReported = new AtomicBoolean();

    public LeafContexts(Future<CertificateAuthority> authority) {
        this(authority, MAX_ENTRIES, Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "httptap-leaves");
            thread.setDaemon(true);
            return thread;
        }));
    }

    LeafContexts(Future<CertificateAuthority> authority, int maxEntries, Executor issuer) {
        this(authority, maxEntries, issuer, TlsLibrary::chosen);
    }

    private LeafContexts(Future<CertificateAuthority> authority, int maxEntries, Executor issuer,
            Supplier<TlsLibrary> library) {
        this.authority = authority;
        this.issuer = issuer;
        this.library = library;
        this.contexts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<SSLContext>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Starts issuing the leaf that {@link #forName} or {@link #forAddress} will return for these, if not made yet. */
    void prepare(Optional<String> serverName, InetAddress address, LeafAlgorithm algorithm) {
        issuing(name(serverName, address), algorithm);
    }

    /**
     * Leaves of the same CA whose handshakes tell {@code listener} their TLS secrets: Bouncy Castle's TLS
     * instead of the run's library, the only one that gives them (see {@link SecretLoggingCrypto}).
     */
    LeafContexts loggingSecretsTo(SecretListener listener) {
        TlsLibrary logging = TlsLibrary.loggingSecrets(listener);
        return new LeafContexts(authority, MAX_ENTRIES, issuer, () -> logging);
    }

    /** The context for a DNS name the client asked for, its leaf's key of {@code algorithm}. */
    public SSLContext forName(String serverName, LeafAlgorithm algorithm) {
        return join(issuing(CertificateAuthority.dnsName(serverName), algorithm));
    }

    /** The context for an address, when the client sent no name. */
    public SSLContext forAddress(InetAddress address, LeafAlgorithm algorithm) {
        return join(issuing(CertificateAuthority.address(address), algorithm));
    }

    /** The name a leaf is for: the client's server name, or the address (clients check an iPAddress name). */
    private static GeneralName name(Optional<String> serverName, InetAddress address) {
        return serverName.map(CertificateAuthority::dnsName).orElseGet(() -> CertificateAuthority.address(address));
    }

    private synchronized CompletableFuture<SSLContext> issuing(GeneralName name, LeafAlgorithm algorithm) {
        return contexts.computeIfAbsent(algorithm + ":" + name,
                key -> CompletableFuture.supplyAsync(() -> context(authority().issue(name, algorithm)), issuer));
    }

    /** The leaf's context, or the reason it could not be made, as thrown where it was made. */
    private static SSLContext join(CompletableFuture<SSLContext> issued) {
        try {
            return issued.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * The context whose leaf, for the name the client asked for (or the address, without one), carries the
     * real server's {@code defect}: see {@link ServerDefect}.
     */
    synchronized SSLContext withDefect(ServerDefect defect, Optional<String> serverName, InetAddress address,
            LeafAlgorithm algorithm) {
        GeneralName name = name(serverName, address);
        return contexts.computeIfAbsent(defect + ":" + algorithm + ":" + name,
                key -> CompletableFuture.completedFuture(context(defect.leaf(authority(), untrusted(), name, Instant.now(),
                        algorithm))))
                .join();
    }

    /** A CA that nothing trusts, made the first time a server's issuer is not trusted. */
    private CertificateAuthority untrusted() {
        if (untrusted == null) {
            untrusted = CertificateAuthority.untrusted(Instant.now());
        }
        return untrusted;
    }

    synchronized int size() {
        return contexts.size();
    }

    private CertificateAuthority authority() {
        try {
            return authority.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the CA", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // Said once, not only in -v's line per connection: every HTTPS connection of the run fails alike.
            if (authorityFailureReported.compareAndSet(false, true)) {
                Log.error("%s; the command's TLS connections are reset in this run", e.getCause().getMessage());
            }
            throw new IllegalStateException("the CA could not be made: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private SSLContext context(IssuedCertificate certificate) {
        try {
            SSLContext context = library.get().newContext();
            context.init(new KeyManager[] {new LeafKeyManager(certificate)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS server context: " + e.getMessage(), e);
        }
    }
}
