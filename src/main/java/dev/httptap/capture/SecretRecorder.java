package dev.httptap.capture;

import dev.httptap.tls.SecretListener;
import java.util.HexFormat;

/**
 * Where the TLS secrets of the child's connections go: a Decryption Secrets Block in the capture, written at
 * once, so it precedes every packet the secret decrypts (the secret is reported before the first record it
 * protects leaves httptap, see {@link SecretListener}), and a line in the key log. Either may be absent.
 *
 * <p>Why a block per secret rather than packets held back until a connection's secrets are known: httptap is
 * the TLS server of every connection it intercepts, so each secret exists before the first record it
 * protects is sent (TLS 1.3's handshake secrets before the server's EncryptedExtensions, the application
 * secrets before its Finished goes out, hence before the client can use them). Nothing is buffered, the
 * capture streams, and Wireshark reads any number of such blocks, each before the packets it decrypts.
 */
public final class SecretRecorder implements SecretListener {
    private final CaptureFile capture;
    private final KeyLog keyLog;

    /** Either may be null. */
    public SecretRecorder(CaptureFile capture, KeyLog keyLog) {
        this.capture = capture;
        this.keyLog = keyLog;
    }

    @Override
    public void onSecret(String label, String clientRandom, byte[] secret) {
        String line = KeyLog.line(label, clientRandom, HexFormat.of().formatHex(secret));
        if (capture != null) {
            capture.secrets(line);
        }
        if (keyLog != null) {
            keyLog.write(line);
        }
    }
}
