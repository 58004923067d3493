package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which key types the leaf's key serves, as each TLS library names them. */
class LeafKeyManagerTest {
    @Test
    void anEcKeyServesEachLibrarysNameForIt() {
        assertTrue(LeafKeyManager.fits("EC", "EC"), "JSSE, Conscrypt");
        assertTrue(LeafKeyManager.fits("EC/secp256r1", "EC"), "Bouncy Castle, TLS 1.3");
        assertTrue(LeafKeyManager.fits("ECDHE_ECDSA", "EC"), "Bouncy Castle, TLS 1.2");
        assertTrue(LeafKeyManager.fits("RSA", "RSA"), "JSSE, Conscrypt");
        assertTrue(LeafKeyManager.fits("ECDHE_RSA", "RSA"), "Bouncy Castle, TLS 1.2");
    }

    @Test
    void otherKindsOfKeyAreNotOffered() {
        assertFalse(LeafKeyManager.fits("RSA", "EC"));
        assertFalse(LeafKeyManager.fits("ECDHE_RSA", "EC"));
        assertFalse(LeafKeyManager.fits("Ed25519", "EC"));
        assertFalse(LeafKeyManager.fits("ECDHE_ECDSA", "RSA"));
    }
}
