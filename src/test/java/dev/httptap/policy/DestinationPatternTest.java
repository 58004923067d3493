package dev.httptap.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationPatternTest {
    private static final InetSocketAddress SOME_ADDRESS = new InetSocketAddress("192.0.2.7", 443);

    private static boolean matches(String pattern, String sni, InetSocketAddress destination) {
        return DestinationPattern.parse(pattern).matches(Optional.ofNullable(sni), destination);
    }

    @Test
    void aGlobMatchesTheNameInAnyCaseOnAnyPort() {
        assertTrue(matches("*.example.com", "api.example.com", SOME_ADDRESS));
        assertTrue(matches("*.example.com", "a.b.EXAMPLE.com", new InetSocketAddress("192.0.2.7", 8443)));
        assertFalse(matches("*.example.com", "example.com", SOME_ADDRESS), "'*.' needs something before the dot");
        assertFalse(matches("*.example.com", "example.com.evil.test", SOME_ADDRESS));
        assertTrue(matches("pinned.test", "pinned.test", SOME_ADDRESS));
        assertFalse(matches("pinned.test", "xpinned.test", SOME_ADDRESS));
        assertTrue(matches("*", "anything", SOME_ADDRESS));
    }

    @Test
    void aPortNarrowsThePattern() {
        assertTrue(matches("pinned.test:8443", "pinned.test", new InetSocketAddress("192.0.2.7", 8443)));
        assertFalse(matches("pinned.test:8443", "pinned.test", SOME_ADDRESS));
        assertTrue(matches("[::1]:8443", null, new InetSocketAddress("::1", 8443)));
        assertFalse(matches("[::1]:8443", null, new InetSocketAddress("::1", 443)));
    }

    @Test
    void withoutANameAGlobMatchesTheAddressText() {
        assertTrue(matches("192.0.2.*", null, SOME_ADDRESS));
        assertFalse(matches("192.0.2.*", "name.test", SOME_ADDRESS), "the name, when there is one, decides");
        assertTrue(matches("*", null, SOME_ADDRESS));
    }

    @Test
    void anAddressMatchesTheDialledAddressByValueWhateverTheName() {
        assertTrue(matches("192.0.2.7", "some.name", SOME_ADDRESS));
        assertTrue(matches("192.0.2.7:443", null, SOME_ADDRESS));
        assertFalse(matches("192.0.2.8", null, SOME_ADDRESS));
        InetSocketAddress alias = new InetSocketAddress("fd77:6874:7470::a9fe:4d41", 8443);
        assertTrue(matches("fd77:6874:7470:0:0:0:a9fe:4d41", null, alias));
        assertTrue(matches("[FD77:6874:7470::A9FE:4D41]:8443", "host.httptap.local", alias));
        assertFalse(matches("192.0.2.7", null, alias));
    }

    @Test
    void badPatternsSayWhatIsWrong() {
        assertEquals("'99999' is not a port (1-65535)",
                assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("name:99999")).getMessage());
        assertEquals("'' is not a port (1-65535)",
                assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("name:")).getMessage());
        assertEquals("expected [IPV6] or [IPV6]:PORT",
                assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("[::1")).getMessage());
        assertEquals("'g::1' is not an IPv6 address",
                assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("g::1")).getMessage());
        assertEquals("a host may hold only letters, digits, '.', '-', '_' and '*'",
                assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("a/b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse(""));
        assertThrows(IllegalArgumentException.class, () -> DestinationPattern.parse("300.1.1.1"));
        assertEquals("*.example.com:443", DestinationPattern.parse("*.example.com:443").toString());
    }
}
