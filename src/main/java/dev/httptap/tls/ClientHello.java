package dev.httptap.tls;

import java.util.List;
import java.util.Optional;

/**
 * What httptap needs from a TLS ClientHello: the server name the client asked for (SNI), the
 * application protocols it offered (ALPN), in its order of preference, its random (64 lowercase hex
 * digits), which names the connection in a key log, the TLS versions it offers (by their JSSE names:
 * "TLSv1.2"), the kind of leaf key it can take, and whether it offers a cipher suite httptap's TLS speaks
 * ({@link CipherOffer}).
 */
public record ClientHello(Optional<String> serverName, List<String> applicationProtocols, String random,
        List<String> versions, LeafAlgorithm leafAlgorithm, boolean sharesCipherSuite) {
    public ClientHello {
        applicationProtocols = List.copyOf(applicationProtocols);
        versions = List.copyOf(versions);
    }
}
