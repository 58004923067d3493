package dev.httptap.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Server-side TLS contexts presenting a leaf from the run's CA, one per server name (or address when the
 * client sent no SNI), made on first use and kept for the run, at most {@link #MAX_ENTRIES}, least
 * recently used first out. The CA itself may still be in the making when this is built.
 */
public final class LeafContexts {
    static final int MAX_ENTRIES = 512;

    private final Future<CertificateAuthority> authority;
    private final TlsLibrary library;
    private final Map<String, SSLContext> contexts;
    private CertificateAuthority untrusted;

    public LeafContexts(Future<CertificateAuthority> authority) {
        this(authority, MAX_ENTRIES, TlsLibrary.chosen());
    }

    LeafContexts(Future<CertificateAuthority> authority, int maxEntries) {
        this(authority, maxEntries, TlsLibrary.chosen());
    }

    private LeafContexts(Future<CertificateAuthority> authority, int maxEntries, TlsLibrary library) {
        this.authority = authority;
        this.library = library;
        this.contexts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SSLContext> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * Leaves of the same CA whose handshakes tell {@code listener} their TLS secrets: Bouncy Castle's TLS
     * instead of the run's library, the only one that gives them (see {@link SecretLoggingCrypto}).
     */
    LeafContexts loggingSecretsTo(SecretListener listener) {
        return new LeafContexts(authority, MAX_ENTRIES, TlsLibrary.loggingSecrets(listener));
    }

    /** The context for a DNS name the client asked for. */
    public synchronized SSLContext forName(String serverName) {
        return contexts.computeIfAbsent("dns:" + serverName, key -> context(authority().issue(serverName)));
    }

    /** The context for an address, when the client sent no name. */
    public synchronized SSLContext forAddress(InetAddress address) {
        return contexts.computeIfAbsent("ip:" + address.getHostAddress(), key -> context(authority().issue(address)));
    }

    /**
     * The context whose leaf, for the name the client asked for (or the address, without one), carries the
     * real server's {@code defect}: see {@link ServerDefect}.
     */
    synchronized SSLContext withDefect(ServerDefect defect, Optional<String> serverName, InetAddress address) {
        GeneralName name = serverName.map(CertificateAuthority::dnsName).orElseGet(() -> CertificateAuthority.address(address));
        return contexts.computeIfAbsent(defect + ":" + name.getName(),
                key -> context(defect.leaf(authority(), untrusted(), name, Instant.now())));
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
            throw new IllegalStateException("the CA could not be made: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private SSLContext context(IssuedCertificate certificate) {
        try {
            SSLContext context = library.newContext();
            context.init(new KeyManager[] {new LeafKeyManager(certificate)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS server context: " + e.getMessage(), e);
        }
    }
}
