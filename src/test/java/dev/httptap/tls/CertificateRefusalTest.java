package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
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
    void aCertificateAlertBoringSslReadIsARefusalAndOtherFailuresAreNot() {
        String certificateUnknown = "Read error: ssl=0x7ffb147569d8: Failure in SSL library, usually a protocol error\n"
                + "error:10000416:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN (../ssl/tls_record.cc:594)";
        assertEquals(Optional.of("certificate_unknown"), CertificateRefusal.alertOf(new SSLHandshakeException(certificateUnknown)));
        assertEquals(Optional.of("unknown_ca"), CertificateRefusal.alertOf(
                new SSLException("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA")));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(
                new SSLException("error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE")));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(
                new SSLException("error:1000009c:SSL routines:OPENSSL_internal:HTTP_REQUEST")), "not an alert");
    }

    /** Bouncy Castle's TLS, the child's side of a capture run, wraps the alert it read in an SSLException. */
    @Test
    void aCertificateAlertBouncyCastleReadIsARefusalAndOtherFailuresAreNot() {
        assertEquals(Optional.of("certificate_unknown"), CertificateRefusal.alertOf(
                new SSLException(new TlsFatalAlertReceived(AlertDescription.certificate_unknown))));
        assertEquals(Optional.of("unknown_ca"), CertificateRefusal.alertOf(
                new SSLException("handshake", new TlsFatalAlertReceived(AlertDescription.unknown_ca))));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(
                new SSLException(new TlsFatalAlertReceived(AlertDescription.handshake_failure))));
        assertEquals(Optional.empty(), CertificateRefusal.alertOf(
                new SSLException(new TlsFatalAlert(AlertDescription.bad_certificate))), "an alert httptap sent");
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
