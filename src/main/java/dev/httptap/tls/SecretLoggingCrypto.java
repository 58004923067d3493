package dev.httptap.tls;

import java.io.IOException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's JCA crypto for TLS, whose secrets are {@link LoggedSecret}s: TLS 1.3's key schedule starts
 * from {@link #hkdfInit}, the early secret's zeros, and TLS 1.2's from the ECDHE agreement's pre-master secret
 * ({@link #createECDomain}: httptap's leaves have EC keys, so ECDHE is the only key exchange they do); every
 * secret derived from either reports itself, and a resumed TLS 1.2 session's master secret again ({@link #adoptSecret}). Secrets derived outside a {@link SecretScope} (the upstream side
 * never is in one) go unreported.
 */
final class SecretLoggingCrypto extends JcaTlsCrypto {
    /**
     * Bouncy Castle's JSSE logs every connection and the security properties it reads through java.util.logging,
     * to standard error: silenced, as httptap says what matters itself. Held, since the logging keeps only weak
     * references to loggers, which would take the level with them; here, so that runs without a capture never
     * start java.util.logging.
     */
    private static final Logger BOUNCY_CASTLE_JSSE_LOG = Logger.getLogger("org.bouncycastle.jsse");

    private final SecretListener listener;

    private SecretLoggingCrypto(JcaJceHelper helper, SecureRandom entropy, SecureRandom nonceEntropy,
            SecretListener listener) {
        super(helper, entropy, nonceEntropy);
        this.listener = listener;
    }

    /**
     * Bouncy Castle's JSSE with this crypto, as a plain JCA provider: callers (TlsLibrary) name no Bouncy Castle
     * TLS class, so that runs without a capture never load one.
     */
    static Provider jsseProvider(SecretListener listener) {
        BOUNCY_CASTLE_JSSE_LOG.setLevel(Level.OFF);
        return new BouncyCastleJsseProvider(false, cryptoProvider(listener));
    }

    /** The provider Bouncy Castle's JSSE asks for its crypto. */
    private static JcaTlsCryptoProvider cryptoProvider(SecretListener listener) {
        return new JcaTlsCryptoProvider() {
            /**
             * The JDK's default SecureRandom for what SSLContext.init leaves null: Bouncy Castle's own choice
             * would be a "DEFAULT" one, which only its JCA provider has.
             */
            @Override
            public JcaTlsCrypto create(SecureRandom random) {
                return create(random, new SecureRandom());
            }

            @Override
            public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
                return new SecretLoggingCrypto(getHelper(), keyRandom == null ? new SecureRandom() : keyRandom,
                        nonceRandom, listener);
            }
        };
    }

    @Override
    public TlsSecret hkdfInit(int cryptoHashAlgorithm) {
        return LoggedSecret.of(this, super.hkdfInit(cryptoHashAlgorithm));
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        TlsECDomain domain = super.createECDomain(ecConfig);
        return () -> new LoggedAgreement(domain.createECDH());
    }

    /** An ECDH(E) agreement whose shared secret is a {@link LoggedSecret}. */
    private final class LoggedAgreement implements TlsAgreement {
        private final TlsAgreement agreement;

        LoggedAgreement(TlsAgreement agreement) {
            this.agreement = agreement;
        }

        @Override
        public byte[] generateEphemeral() throws IOException {
            return agreement.generateEphemeral();
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            agreement.receivePeerValue(peerValue);
        }

        @Override
        public TlsSecret calculateSecret() throws IOException {
            return LoggedSecret.of(SecretLoggingCrypto.this, agreement.calculateSecret());
        }
    }

    /** TLS 1.2's master secret as a session keeps it, and as a connection resuming that session takes it up. */
    @Override
    public TlsSecret adoptSecret(TlsSecret secret) {
        return secret instanceof LoggedSecret logged ? logged.adopted() : super.adoptSecret(secret);
    }

    /** Tells the listener {@code secret} of the connection driven on this thread; returns its client random, or null. */
    String derived(String keyLogLabel, byte[] secret) {
        String clientRandom = SecretScope.clientRandom();
        if (clientRandom != null) {
            listener.onSecret(keyLogLabel, clientRandom, secret);
        }
        return clientRandom;
    }
}
