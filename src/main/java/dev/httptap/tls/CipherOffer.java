package dev.httptap.tls;

import java.util.List;
import java.util.Set;

/**
 * What a ClientHello's cipher suites and signature algorithms mean for the child's side of an interception,
 * whose TLS is BoringSSL's (through Conscrypt; the JDK's, the fallback, speaks these suites too): whether
 * they can agree on a suite at all, and which kind of leaf key the client can take.
 */
final class CipherOffer {
    /** TLS 1.3's suites, which leave the kind of certificate to signature_algorithms (RFC 8446 section 4.2.3). */
    private static final Set<Integer> TLS13_SUITES = Set.of(0x1301, 0x1302, 0x1303);
    /** TLS 1.2's ECDHE_ECDSA suites Conscrypt enables (AES-CBC, AES-GCM, ChaCha20). */
    private static final Set<Integer> ECDSA_SUITES = Set.of(0xC009, 0xC00A, 0xC02B, 0xC02C, 0xCCA9);
    /** TLS 1.2's ECDHE_RSA and static RSA suites Conscrypt enables. */
    private static final Set<Integer> RSA_SUITES = Set.of(0xC013, 0xC014, 0xC02F, 0xC030, 0xCCA8,
            0x002F, 0x0035, 0x009C, 0x009D);

    private CipherOffer() {}

    /**
     * Whether the client offers a suite httptap's side can agree to. One offering only others (DHE, AES-CCM,
     * Camellia: old or embedded clients) would fail its handshake with httptap where its server may have
     * them, so its connection passes through instead.
     */
    static boolean anySpoken(List<Integer> suites) {
        return suites.stream().anyMatch(suite -> TLS13_SUITES.contains(suite) || ECDSA_SUITES.contains(suite)
                || RSA_SUITES.contains(suite));
    }

    /**
     * The kind of leaf key for a client offering {@code suites} and, unless null (no signature_algorithms
     * extension, as before TLS 1.2), {@code signatureSchemes}, in TLS 1.3 ({@code tls13}) or before it:
     * ECDSA P-256, small and quick to make and sign with, unless the client cannot take it (signature
     * algorithms without ECDSA; before TLS 1.3, only RSA-authenticated suites too), which then gets RSA, as
     * from the many servers whose certificate is.
     */
    static LeafAlgorithm leaf(List<Integer> suites, List<Integer> signatureSchemes, boolean tls13) {
        boolean ecdsaSuite = tls13 || suites.stream().anyMatch(ECDSA_SUITES::contains);
        boolean ecdsaSigned = signatureSchemes == null || signatureSchemes.stream().anyMatch(CipherOffer::isEcdsa);
        return ecdsaSuite && ecdsaSigned ? LeafAlgorithm.EC : LeafAlgorithm.RSA;
    }

    /** ECDSA with SHA-1 to SHA-512: TLS 1.2's hash and signature pairs, TLS 1.3's ecdsa_secp*_sha* schemes. */
    private static boolean isEcdsa(int scheme) {
        int hash = scheme >> 8;
        return (scheme & 0xff) == 3 && hash >= 2 && hash <= 6;
    }
}
