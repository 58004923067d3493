package dev.httptap.tls;

/**
 * Hears the TLS secrets of the connections httptap terminates with the command ({@code --dump-pcap},
 * {@code --keylog}), each as soon as it is derived: on the thread driving that connection, before any record
 * it protects leaves httptap, so a capture can put the secret ahead of the packets it decrypts.
 */
@FunctionalInterface
public interface SecretListener {
    /**
     * @param label the NSS key log label, e.g. {@code CLIENT_TRAFFIC_SECRET_0}
     * @param clientRandom the ClientHello's random, 64 lowercase hex digits, which names the connection
     * @param secret the secret's bytes
     */
    void onSecret(String label, String clientRandom, byte[] secret);
}
