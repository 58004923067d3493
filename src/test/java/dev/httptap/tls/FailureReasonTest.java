package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.net.ssl.SSLException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
    /** A received alert reads alike whichever library read it: JSSE, BoringSSL or Bouncy Castle (capture runs). */
    @Test
    void aReceivedAlertIsWordedAsJsseWordsIt() {
        assertEquals("Received fatal alert: handshake_failure",
                FailureReason.of(new SSLException("Received fatal alert: handshake_failure")));
        assertEquals("Received fatal alert: handshake_failure", FailureReason.of(new SSLException(
                "error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE")));
        assertEquals("Received fatal alert: handshake_failure", FailureReason.of(
                new SSLException(new TlsFatalAlertReceived(AlertDescription.handshake_failure))));
    }
}
