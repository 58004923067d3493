package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
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

    /**
     * The launcher's security properties prefer, for ECDSA signatures, a provider by name: Conscrypt installs
     * under that name, last, and offers each of those signatures; the default order is otherwise untouched.
     */
    @Test
    void conscryptIsInstalledLastUnderTheNameTheLauncherPrefers() throws Exception {
        TlsLibrary.conscrypt();
        Provider[] providers = Security.getProviders();
        assertEquals("Conscrypt", providers[providers.length - 1].getName());
        String preferred = Files.readAllLines(Path.of("src/main/conscrypt/native-signatures.security")).stream()
                .filter(line -> line.startsWith("jdk.security.provider.preferred="))
                .findFirst().orElseThrow().substring("jdk.security.provider.preferred=".length());
        for (String entry : preferred.split(",")) {
            String[] typeAlgorithmProvider = entry.split("[.:]");
            assertEquals("Conscrypt", typeAlgorithmProvider[2], entry);
            assertNotNull(providers[providers.length - 1].getService(typeAlgorithmProvider[0], typeAlgorithmProvider[1]), entry);
        }
        assertEquals("SunEC", Signature.getInstance("SHA256withECDSA").getProvider().getName(),
                "without the launcher's properties, the JDK's order");
    }
}
