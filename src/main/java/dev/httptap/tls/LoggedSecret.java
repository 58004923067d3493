package dev.httptap.tls;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.AbstractTlsSecret;
import org.bouncycastle.tls.crypto.impl.jcajce.JceTlsSecret;

/**
 * A secret of Bouncy Castle's TLS whose descendants are LoggedSecrets too, so that each secret a key log
 * names is seen as it is made: in TLS 1.3's key schedule (RFC 8446 7.1) each traffic secret, which its
 * HKDF-Expand-Label's label tells; in TLS 1.2 the master secret (RFC 5246 8.1, RFC 7627), which its PRF label
 * tells.
 */
final class LoggedSecret extends JceTlsSecret {
    /** HkdfLabel labels (with RFC 8446's "tls13 " prefix) and the NSS key log labels of what they derive. */
    private static final Map<String, String> KEY_LOG_LABELS = Map.of(
            "tls13 c hs traffic", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "tls13 s hs traffic", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "tls13 c ap traffic", "CLIENT_TRAFFIC_SECRET_0",
            "tls13 s ap traffic", "SERVER_TRAFFIC_SECRET_0",
            "tls13 exp master", "EXPORTER_SECRET");

    /** TLS 1.2's PRF labels that make the master secret, with and without the extended master secret. */
    private static final Set<String> MASTER_SECRET_LABELS = Set.of("master secret", "extended master secret");

    private final SecretLoggingCrypto logging;
    /** The client random this TLS 1.2 master secret was told under; null for any other secret. */
    private String masterSecretOf;

    LoggedSecret(SecretLoggingCrypto crypto, byte[] data) {
        super(crypto, data);
        this.logging = crypto;
    }

    /** {@code secret} (a plain one, which this destroys) as a LoggedSecret. */
    static LoggedSecret of(SecretLoggingCrypto crypto, TlsSecret secret) {
        byte[] data = copyData((AbstractTlsSecret) secret);
        secret.destroy();
        return new LoggedSecret(crypto, data);
    }

    @Override
    public synchronized TlsSecret hkdfExtract(int cryptoHashAlgorithm, TlsSecret ikm) {
        return of(logging, super.hkdfExtract(cryptoHashAlgorithm, ikm));
    }

    @Override
    public synchronized TlsSecret hkdfExpand(int cryptoHashAlgorithm, byte[] info, int length) {
        LoggedSecret derived = of(logging, super.hkdfExpand(cryptoHashAlgorithm, info, length));
        String keyLogLabel = KEY_LOG_LABELS.get(labelOf(info));
        if (keyLogLabel != null) {
            logging.derived(keyLogLabel, copyData(derived));
        }
        return derived;
    }

    @Override
    public synchronized TlsSecret deriveUsingPRF(int prfAlgorithm, String label, byte[] seed, int length) {
        LoggedSecret derived = of(logging, super.deriveUsingPRF(prfAlgorithm, label, seed, length));
        if (MASTER_SECRET_LABELS.contains(label)) {
            derived.masterSecretOf = logging.derived("CLIENT_RANDOM", copyData(derived));
        }
        return derived;
    }

    /**
     * A copy of this secret, as Bouncy Castle takes one into the session a full handshake makes and out of the
     * session a resumed handshake (TLS 1.2's abbreviated one, which derives no master secret) takes up. A master
     * secret taken up by a connection other than the one it was told for is told again, under that one's random.
     */
    synchronized LoggedSecret adopted() {
        LoggedSecret copy = new LoggedSecret(logging, copyData(this));
        copy.masterSecretOf = masterSecretOf;
        String connection = SecretScope.clientRandom();
        if (masterSecretOf != null && connection != null && !connection.equals(masterSecretOf)) {
            copy.masterSecretOf = logging.derived("CLIENT_RANDOM", copyData(copy));
        }
        return copy;
    }

    /** The label of an HkdfLabel (uint16 length, opaque label<7..255>, opaque context<0..255>), or "". */
    static String labelOf(byte[] info) {
        if (info.length < 3 || info.length < 3 + (info[2] & 0xff)) {
            return "";
        }
        return new String(info, 3, info[2] & 0xff, StandardCharsets.US_ASCII);
    }
}
