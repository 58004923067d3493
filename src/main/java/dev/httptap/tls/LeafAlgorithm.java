package dev.httptap.tls;

import java.util.List;
import java.util.Set;

/**
 * The kind of key the child's leaf certificate has (its JCA name). ECDSA P-256, small and quick to make and
 * sign with, unless the ClientHello shows that the client cannot take it: a TLS 1.2 client offering only
 * RSA-authenticated suites (ECDHE-RSA, static RSA: `curl --ciphers ECDHE-RSA-AES128-GCM-SHA256`, older and
 * embedded clients), or signature algorithms without ECDSA. Such a client works with the many servers
 * whose certificate is RSA, so under httptap it gets an RSA leaf.
 */
enum LeafAlgorithm {
    EC, RSA;

    /** TLS 1.3's suites, which leave the kind of certificate to signature_algorithms (RFC 8446 section 4.2.3). */
    private static final Set<Integer> TLS13_SUITES = Set.of(0x1301, 0x1302, 0x1303);
    /** TLS 1.2's ECDHE_ECDSA suites the interception's TLS libraries agree to (AES-CBC, AES-GCM, ChaCha20). */
    private static final Set<Integer> ECDSA_SUITES = Set.of(0xC009, 0xC00A, 0xC023, 0xC024, 0xC02B, 0xC02C, 0xCCA9);

    /**
     * The leaf for a client offering {@code suites} and, unless null (no signature_algorithms extension, as
     * before TLS 1.2), {@code signatureSchemes}.
     */
    static LeafAlgorithm forOffer(List<Integer> suites, List<Integer> signatureSchemes) {
        boolean ecdsaSuite = suites.stream().anyMatch(suite -> TLS13_SUITES.contains(suite) || ECDSA_SUITES.contains(suite));
        boolean ecdsaSigned = signatureSchemes == null || signatureSchemes.stream().anyMatch(LeafAlgorithm::isEcdsa);
        return ecdsaSuite && ecdsaSigned ? EC : RSA;
    }

    /** ECDSA with SHA-1 to SHA-512: TLS 1.2's hash and signature pairs, TLS 1.3's ecdsa_secp*_sha* schemes. */
    private static boolean isEcdsa(int scheme) {
        int hash = scheme >> 8;
        return (scheme & 0xff) == 3 && hash >= 2 && hash <= 6;
    }
}
