package dev.httptap.tls;

/**
 * Which connection the TLS work on this thread is for, while an endpoint whose secrets are logged drives its
 * engine: Bouncy Castle derives a secret deep inside an engine call, with nothing naming the connection, and
 * the call runs on the caller's thread. Saved and restored, since one endpoint's output may drive another's.
 */
final class SecretScope {
    private static final ThreadLocal<String> CLIENT_RANDOM = new ThreadLocal<>();

    private SecretScope() {}

    /** The client random of the connection being driven on this thread, or null. */
    static String clientRandom() {
        return CLIENT_RANDOM.get();
    }

    /** Marks this thread as working for {@code clientRandom}; returns what to restore afterwards. */
    static String enter(String clientRandom) {
        String previous = CLIENT_RANDOM.get();
        CLIENT_RANDOM.set(clientRandom);
        return previous;
    }

    static void restore(String previous) {
        if (previous == null) {
            CLIENT_RANDOM.remove();
        } else {
            CLIENT_RANDOM.set(previous);
        }
    }
}
