package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class TlsRehearsalTest {
    private static final CertificateAuthority CA = CertificateAuthority.create(Instant.now());

    @Test
    void aWholeConnectionIsPlayedWithConscrypt() {
        assertTrue(TlsRehearsal.play(CA, CA.certificate(), TlsLibrary.conscrypt(), () -> true));
    }

    @Test
    void aWholeConnectionIsPlayedWithJsse() {
        assertTrue(TlsRehearsal.play(CA, CA.certificate(), TlsLibrary.jsse(), () -> true));
    }

    @Test
    void nothingIsPlayedOnceTheChildHasConnected() {
        AtomicInteger asked = new AtomicInteger();
        assertFalse(TlsRehearsal.play(CA, CA.certificate(), TlsLibrary.conscrypt(), () -> asked.incrementAndGet() < 1));
        assertEquals(1, asked.get(), "it asked once and stopped");
    }

    @Test
    void itStandsDownBetweenSteps() {
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier untilTheLeafIsMade = () -> asked.incrementAndGet() < 2;
        assertFalse(TlsRehearsal.play(CA, CA.certificate(), TlsLibrary.conscrypt(), untilTheLeafIsMade));
        assertEquals(2, asked.get(), "it stopped after issuing the leaf, before any handshake");
    }

    /** A trust that does not hold the leaf's CA fails the client's check: reported as not played, not thrown. */
    @Test
    void aFailedHandshakeIsNotThrown() {
        CertificateAuthority other = CertificateAuthority.create(Instant.now());
        assertFalse(TlsRehearsal.play(CA, other.certificate(), TlsLibrary.conscrypt(), () -> true));
    }
}
