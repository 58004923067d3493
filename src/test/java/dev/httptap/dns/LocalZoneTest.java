package dev.httptap.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LocalZoneTest {
    private final LocalZone zone = new LocalZone("host.httptap.local", alias());

    @Test
    void answersAnAQueryWithTheAliasAddressInAnyCase() throws Exception {
        DnsMessage query = DnsMessage.parse(Hex.buffer("""
                1f2e 0100 0001 0000 0000 0000
                04 486f5374 07 48545450544150 05 6c6f63616c 00 0001 0001
                """));

        assertTrue(zone.owns(query));
        assertEquals(Hex.of(Hex.buffer("""
                1f2e 8580 0001 0001 0000 0000
                04 486f5374 07 48545450544150 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """)), Hex.of(zone.answer(query)));
    }

    @Test
    void answersAaaaWithNoDataAndCopiesRecursionDesired() throws Exception {
        DnsMessage query = DnsMessage.parse(Hex.buffer(DnsMessageTest.GLIBC_QUERY_HOST_ALIAS_AAAA));

        assertTrue(zone.owns(query));
        assertEquals(Hex.of(Hex.buffer("""
                5a17 8580 0001 0000 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 001c 0001
                """)), Hex.of(zone.answer(query)));
    }

    @Test
    void answersAaaaWithTheIpv6AliasWhenTheCommandHasIpv6() throws Exception {
        LocalZone dualStack = new LocalZone("host.httptap.local", alias(),
                (Inet6Address) InetAddress.getByName("fd77:6874:7470::a9fe:4d41"));
        DnsMessage query = DnsMessage.parse(Hex.buffer(DnsMessageTest.GLIBC_QUERY_HOST_ALIAS_AAAA));

        assertEquals(Hex.of(Hex.buffer("""
                5a17 8580 0001 0001 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 001c 0001
                c00c 001c 0001 0000003c 0010 fd77 6874 7470 0000 0000 0000 a9fe 4d41
                """)), Hex.of(dualStack.answer(query)));
        DnsMessage aQuery = DnsMessage.parse(Hex.buffer("""
                0007 0100 0001 0000 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                """));
        assertEquals(Hex.of(Hex.buffer("""
                0007 8580 0001 0001 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """)), Hex.of(dualStack.answer(aQuery)), "A is unchanged");
    }

    @Test
    void dropsTheEdnsRecordAndLeavesRecursionDesiredClearWhenItWasClear() throws Exception {
        DnsMessage query = DnsMessage.parse(Hex.buffer("""
                0007 0000 0001 0000 0000 0001
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                00 0029 04d0 00 00 0000 0000
                """));

        assertEquals(Hex.of(Hex.buffer("""
                0007 8480 0001 0001 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """)), Hex.of(zone.answer(query)));
    }

    @Test
    void leavesOtherNamesToTheRealResolvers() throws Exception {
        assertFalse(zone.owns(DnsMessage.parse(Hex.buffer(DnsMessageTest.DIG_QUERY_EXAMPLE_COM_A))));
        // A subdomain of the alias is not the alias.
        assertFalse(zone.owns(DnsMessage.parse(Hex.buffer("""
                0001 0100 0001 0000 0000 0000
                01 78 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                """))));
    }

    @Test
    void leavesResponsesAndOtherOpcodesAlone() throws Exception {
        assertFalse(zone.owns(DnsMessage.parse(Hex.buffer("""
                0001 8100 0001 0000 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                """))));
        assertFalse(zone.owns(DnsMessage.parse(Hex.buffer("""
                0001 2800 0001 0000 0000 0000
                04 686f7374 07 68747470746170 05 6c6f63616c 00 0006 0001
                """))));
    }

    private static Inet4Address alias() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, 77, 65});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
