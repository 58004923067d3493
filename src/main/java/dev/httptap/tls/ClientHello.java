package dev.httptap.tls;

import java.util.List;
import java.util.Optional;

/**
 * What httptap needs from a TLS ClientHello: the server name the client asked for (SNI), the
 * application protocols it offered (ALPN), in its order of preference, its random (64 lowercase hex
 * digits), which names the connection in a key log, the TLS versions it offers (by their JSSE names:
 * "TLSv1.2"), the kind of leaf key it can take in TLS 1.3 and in older versions, and whether it offers a
 * cipher suite httptap's TLS speaks ({@link CipherOffer}).
 */
public record ClientHello(Optional<String> serverName, List<String> applicationProtocols, String random,
        List<String> versions, LeafAlgorithm tls13Leaf, LeafAlgorithm olderLeaf, boolean sharesCipherSuite) {
    public ClientHello {
        applicationProtocols = List.copyOf(applicationProtocols);
        versions = List.copyOf(versions);
    }

    /**
     * The kind of leaf key for the TLS {@code version} agreed (null: not known, the highest offered): in TLS
     * 1.3 the signature algorithms decide it, before it the cipher suites too.
     */
    public LeafAlgorithm leafAlgorithm(String version) {
        boolean tls13 = version != null ? version.equals("TLSv1.3") : versions.contains("TLSv1.3");
        return tls13 ? tls13Leaf : olderLeaf;
    }
}
