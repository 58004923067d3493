package dev.httptap.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void splitsAsUrlsWriteIt() {
        assertEquals(Optional.of(new HostPort("a.test", "8080")), HostPort.split("a.test:8080"));
        assertEquals(Optional.of(new HostPort("a.test", null)), HostPort.split("a.test"));
        assertEquals(Optional.of(new HostPort("fd77::1", "443")), HostPort.split("[fd77::1]:443"));
        assertEquals(Optional.of(new HostPort("fd77::1", null)), HostPort.split("fd77::1"), "a literal without brackets");
        assertEquals(Optional.empty(), HostPort.split("[fd77::1"));
        assertEquals(Optional.empty(), HostPort.split("[fd77::1]x"));
    }

    @Test
    void joinsWithBracketsAroundAnIpv6Literal() {
        assertEquals("a.test:8080", HostPort.join("a.test", 8080));
        assertEquals("10.0.0.1:80", HostPort.join("10.0.0.1", 80));
        assertEquals("[fd77::1]:443", HostPort.join("fd77::1", 443));
        assertEquals(Optional.of(new HostPort("fd77::1", "443")), HostPort.split(HostPort.join("fd77::1", 443)));
    }
}
