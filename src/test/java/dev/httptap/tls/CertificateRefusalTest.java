package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class CertificateRefusalTest {
    @Test
    void aCertificateAlertJsseReadIsARefusalAndOtherFailuresAreNot() {
        assertEquals(Optional.of("unknown_ca"), CertificateRefusal.alertOf(new SSLHandshakeException("Received fatal alert: unknown_ca")));
        assertEquals(Optional.of("bad_certificate"),
                CertificateRefusal.alertOf(new SSLException("wrapped", new SSLException("Received fatal alert: bad_certificate"))));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(new SSLHandshakeException("Received fatal alert: protocol_version")));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(new SSLException("Tag mismatch")));
    }

    @Test
    void openSslsPlaintextAlertAfterACompatibilityChangeCipherSpecIsFound() {
        // What curl --cacert sends on refusing the leaf in TLS 1.3: ChangeCipherSpec, then alert unknown_ca in the clear.
        byte[] records = {0x14, 3, 3, 0, 1, 1, 0x15, 3, 3, 0, 2, 2, 48};
        assertEquals(Optional.of("unknown_ca"), CertificateRefusal.plaintextAlertIn(ByteBuffer.wrap(records)));
        assertEquals(Optional.empty(), CertificateRefusal.plaintextAlertIn(ByteBuffer.wrap(new byte[] {0x15, 3, 3, 0, 2, 2, 40})),
                "handshake_failure is no refusal of the certificate");
        assertEquals(Optional.empty(), CertificateRefusal.plaintextAlertIn(ByteBuffer.wrap(new byte[] {0x17, 3, 3, 0, 2, 2, 48})),
                "application data that looks like an alert");
        assertEquals(Optional.empty(), CertificateRefusal.plaintextAlertIn(ByteBuffer.wrap(new byte[] {0x15, 3, 3, 0})));
    }

    @Test
    void aCompatibilityChangeCipherSpecIsFoundAmongTheChildsRecords() {
        assertTrue(CertificateRefusal.holdsChangeCipherSpec(ByteBuffer.wrap(new byte[] {0x14, 3, 3, 0, 1, 1})),
                "what java.net.http sends before hanging up");
        assertTrue(CertificateRefusal.holdsChangeCipherSpec(ByteBuffer.wrap(new byte[] {0x17, 3, 3, 0, 1, 9, 0x14, 3, 3, 0, 1, 1})));
        assertFalse(CertificateRefusal.holdsChangeCipherSpec(ByteBuffer.wrap(new byte[] {0x14, 3, 3, 0, 1})), "cut short");
        assertFalse(CertificateRefusal.holdsChangeCipherSpec(ByteBuffer.wrap(new byte[] {0x17, 3, 3, 0, 1, 1})),
                "application data that looks like one");
        assertFalse(CertificateRefusal.holdsChangeCipherSpec(ByteBuffer.wrap(new byte[0])));
    }
}
