package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunIpv6Test {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheUniqueLocalPrefixWithItsFirstAddressAsGateway() {
        TunIpv6 defaults = TunIpv6.defaults();
        assertEquals(TunIpv6.ipv6("fd77:6874:7470::100"), defaults.address());
        assertEquals(64, defaults.prefixLength());
        assertEquals(TunIpv6.ipv6("fd77:6874:7470::1"), defaults.gateway());
        assertEquals("fd77:6874:7470:0:0:0:0:100/64", defaults.helperAddress());
    }

    @Test
    void theGatewayMustBeAnotherAddressOnThePrefix() {
        assertThrows(IllegalArgumentException.class, () -> new TunIpv6(TunIpv6.ipv6("fd77::100"), 64,
                TunIpv6.ipv6("fd78::1")));
        assertThrows(IllegalArgumentException.class, () -> new TunIpv6(TunIpv6.ipv6("fd77::100"), 64,
                TunIpv6.ipv6("fd77::100")));
        assertThrows(IllegalArgumentException.class, () -> new TunIpv6(TunIpv6.ipv6("fd77::100"), 128,
                TunIpv6.ipv6("fd77::1")));
        assertEquals(120, new TunIpv6(TunIpv6.ipv6("fd77::100"), 120, TunIpv6.ipv6("fd77::1ff")).prefixLength());
    }

    @Test
    void aHostHasIpv6WhenTheKernelListsAnyIpv6Address() throws Exception {
        Path ifInet6 = dir.resolve("if_inet6");
        assertFalse(TunIpv6.hasIpv6Address(ifInet6), "no such file: no IPv6 in the kernel");
        Files.writeString(ifInet6, "");
        assertFalse(TunIpv6.hasIpv6Address(ifInet6), "disable_ipv6 everywhere: no addresses");
        Files.writeString(ifInet6, "00000000000000000000000000000001 01 80 10 80       lo\n");
        assertTrue(TunIpv6.hasIpv6Address(ifInet6));
    }

    @Test
    void ipv6NeedsTheIpv6MinimumMtu() {
        SandboxSpec base = SandboxSpec.of(List.of("true"));
        assertThrows(IllegalArgumentException.class, () -> new SandboxSpec(base.command(), base.environment(),
                base.tunName(), base.address(), 24, base.gateway(), 1279, true, null, InsideIds.USUAL, List.of(), false,
                TunIpv6.defaults(), java.util.Set.of()));
    }
}
