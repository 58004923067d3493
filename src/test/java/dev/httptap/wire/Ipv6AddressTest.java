package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class Ipv6AddressTest {
    @Test
    void printsTheCanonicalForm() {
        assertEquals("fd77:6874:7470::a9fe:4d41", Ipv6Address.parse("FD77:6874:7470:0:0:0:A9FE:4D41").toString());
        assertEquals("::1", Ipv6Address.parse("0:0:0:0:0:0:0:1").toString());
        assertEquals("::", Ipv6Address.parse("::").toString());
        assertEquals("2001:db8::1:0:0:1", Ipv6Address.parse("2001:db8:0:0:1:0:0:1").toString(), "first longest run");
        assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Address.parse("2001:db8:0:1:1:1:1:1").toString(),
                "no :: for one group");
        assertEquals("fe80::", Ipv6Address.parse("fe80::").toString());
    }

    @Test
    void convertsToAndFromJdkAddresses() throws Exception {
        Ipv6Address alias = Ipv6Address.parse("fd77:6874:7470::a9fe:4d41");
        InetAddress jdk = alias.toInetAddress();
        assertEquals(InetAddress.getByName("fd77:6874:7470::a9fe:4d41"), jdk);
        assertEquals(alias, IpAddress.of(jdk));
        assertEquals(IpVersion.V6, alias.version());
    }

    @Test
    void keepsIpv4MappedAddressesAsIpv6() {
        Ipv6Address mapped = new Ipv6Address(0, 0xFFFF_0A01_0101L);
        assertTrue(mapped.isIpv4Mapped());
        assertInstanceOf(Inet6Address.class, mapped.toInetAddress());
        assertFalse(Ipv6Address.parse("::1").isIpv4Mapped());
        assertTrue(Ipv6Address.parse("ff02::16").isMulticast());
        assertFalse(Ipv6Address.parse("fd77::1").isMulticast());
    }
}
