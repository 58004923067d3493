package dev.httptap.tls;

import dev.httptap.log.Log;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;

/**
 * The TLS implementation behind every SSLContext httptap makes, on both sides of an intercepted connection:
 * Conscrypt (BoringSSL behind the JSSE API) where its native library loads, else the JDK's own JSSE. A warm
 * handshake pair costs Conscrypt ~2 ms against JSSE's ~12 ms (JSSE's P-256 arithmetic is pure Java), and its
 * AES-GCM moves 2-3 times the bytes (docs/benchmarks.md, session 6). {@value #VARIABLE}={@code jsse} or
 * {@code conscrypt} forces one, for measurement.
 */
public final class TlsLibrary {
    public static final String VARIABLE = "HTTPTAP_TLS_ENGINE";
    private static final String JSSE = "jsse";
    private static final String CONSCRYPT = "conscrypt";

    /** Made on first use, on the thread that first needs TLS (the upstream trust's, at start-up). */
    private static final class Chosen {
        static final TlsLibrary LIBRARY = choose(System.getenv());
    }

    /** Conscrypt's or Bouncy Castle's provider; null for JSSE, the JDK's default. */
    private final Provider provider;

    private TlsLibrary(Provider provider) {
        this.provider = provider;
    }

    /** The library of this run. */
    static TlsLibrary chosen() {
        return Chosen.LIBRARY;
    }

    /**
     * Conscrypt unless {@code environment} asks for JSSE or Conscrypt cannot load, which a verbose line says (an
     * error line when Conscrypt was asked for): its native library, which the launcher puts on java.library.path,
     * is missing (a jar run without ./httptap) or built for another CPU architecture or C library.
     */
    static TlsLibrary choose(Map<String, String> environment) {
        String requested = Optional.ofNullable(environment.get(VARIABLE)).orElse("").toLowerCase(Locale.ROOT);
        if (requested.equals(JSSE)) {
            return jsse();
        }
        if (!requested.isEmpty() && !requested.equals(CONSCRYPT)) {
            Log.error("%s=%s is neither %s nor %s; using the default", VARIABLE, environment.get(VARIABLE), CONSCRYPT, JSSE);
        }
        try {
            TlsLibrary conscrypt = conscrypt();
            Log.verbose("TLS through Conscrypt (BoringSSL)");
            return conscrypt;
        } catch (LinkageError | RuntimeException e) {
            String why = "Conscrypt cannot load (" + e.getMessage() + "); TLS goes through the JDK's JSSE";
            if (requested.equals(CONSCRYPT)) {
                Log.error("%s", why);
            } else {
                Log.verbose("%s", why);
            }
            return jsse();
        }
    }

    /**
     * Bouncy Castle's TLS, pure Java, telling {@code listener} each TLS 1.3 secret it derives (see
     * {@link SecretLoggingCrypto}): for the child's side of the connections when a capture asks for the secrets.
     */
    static TlsLibrary loggingSecrets(SecretListener listener) {
        return new TlsLibrary(SecretLoggingCrypto.jsseProvider(listener));
    }

    static TlsLibrary jsse() {
        return new TlsLibrary(null);
    }

    /** Throws {@link LinkageError} when Conscrypt's native library cannot load here. */
    static TlsLibrary conscrypt() {
        Conscrypt.checkAvailability();
        Provider provider = Conscrypt.newProvider();
        // Known to the JCA after every other provider (a second one of the same name is not added): used only
        // where asked for by name, or where the launcher's security properties prefer it (ECDSA signatures, see
        // src/main/conscrypt/native-signatures.security); nothing else changes provider.
        Security.addProvider(provider);
        return new TlsLibrary(provider);
    }

    boolean isJsse() {
        return provider == null;
    }

    /**
     * Lets a server engine issue session tickets, which Conscrypt leaves off unless asked: without them a
     * TLS 1.3 client cannot resume its session at all. JSSE's engines issue them already.
     */
    static void issueSessionTickets(SSLEngine serverEngine) {
        if (Conscrypt.isConscrypt(serverEngine)) {
            Conscrypt.setUseSessionTickets(serverEngine, true);
        }
    }

    /** A new, uninitialised TLS context of this library. */
    SSLContext newContext() throws NoSuchAlgorithmException {
        return provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
    }
}
