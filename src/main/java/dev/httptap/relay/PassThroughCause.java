package dev.httptap.relay;

/** Why a TLS connection is relayed untouched rather than intercepted, in the words its report line uses. */
public enum PassThroughCause {
    /** The child refused httptap's certificate (its own trust store, pinning). */
    UNTRUSTED_CA("the client does not trust httptap's CA"),
    /** The destination matches a --passthrough pattern. */
    PASSTHROUGH_OPTION("--passthrough"),
    /** The server asks for a client certificate, which only the child has and which cannot cross httptap. */
    CLIENT_CERTIFICATE("the server asks for a client certificate"),
    /** The child offers only cipher suites httptap's TLS lacks (DHE, AES-CCM, Camellia). */
    NO_SHARED_CIPHER_SUITE("the client offers only cipher suites httptap's TLS lacks");

    private final String words;

    PassThroughCause(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
