package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BoringSslErrorTest {
    @Test
    void aReceivedAlertIsReadAsJsseWordsIt() {
        BoringSslError error = BoringSslError.in("Read error: ssl=0x7ffb147569d8: Failure in SSL library, usually a protocol "
                + "error\nerror:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE (../ssl/tls_record.cc:594 "
                + "0x7ffb1476fbd8:0x00000001)").orElseThrow();
        assertEquals(OptionalInt.of(40), error.receivedAlert());
        assertEquals("Received fatal alert: handshake_failure", error.words());
        assertEquals("Received fatal alert: unknown_ca",
                BoringSslError.in("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA").orElseThrow().words());
    }

    @Test
    void anotherErrorIsItsNameInWords() {
        BoringSslError error = BoringSslError.in("error:10000096:SSL routines:OPENSSL_internal:EXCESSIVE_MESSAGE_SIZE (x)").orElseThrow();
        assertEquals(OptionalInt.empty(), error.receivedAlert());
        assertEquals("excessive message size", error.words());
    }

    @Test
    void jssesWordsAreNoBoringSslError() {
        assertEquals(Optional.empty(), BoringSslError.in("Received fatal alert: handshake_failure"));
        assertEquals(Optional.empty(), BoringSslError.in(null));
    }
}
