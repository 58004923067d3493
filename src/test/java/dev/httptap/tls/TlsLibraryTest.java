package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run where Conscrypt's native library loads (surefire puts its jar, with the library, on the class path). */
class TlsLibraryTest {
    @Test
    void conscryptUnlessJsseIsAskedFor() throws Exception {
        assertFalse(TlsLibrary.choose(Map.of()).isJsse());
        assertFalse(TlsLibrary.choose(Map.of(TlsLibrary.VARIABLE, "conscrypt")).isJsse());
        assertFalse(TlsLibrary.choose(Map.of(TlsLibrary.VARIABLE, "")).isJsse(), "empty is unset");
        assertFalse(TlsLibrary.choose(Map.of(TlsLibrary.VARIABLE, "openssl")).isJsse(), "an unknown one: the default");
        assertTrue(TlsLibrary.choose(Map.of(TlsLibrary.VARIABLE, "jsse")).isJsse());
        assertTrue(TlsLibrary.choose(Map.of(TlsLibrary.VARIABLE, "JSSE")).isJsse());
    }

    @Test
    void eachMakesItsOwnContexts() throws Exception {
        assertEquals("SunJSSE", TlsLibrary.jsse().newContext().getProvider().getName());
        assertTrue(TlsLibrary.conscrypt().newContext().getProvider().getName().startsWith("Conscrypt"));
    }
}
