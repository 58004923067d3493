package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressMapTest {
    private static final InetAddress GATEWAY = RelayConfig.ipv4(10, 1, 1, 1);
    private static final InetAddress ALIAS = RelayConfig.ipv4(169, 254, 77, 65);
    private static final RelayConfig.Ipv6 IPV6 = RelayConfig.Ipv6.withGateway(ipv6("fd77:6874:7470::1"));
    private final AddressMap dualStack = new AddressMap(GATEWAY, ALIAS, IPV6);

    @Test
    void eachHostAliasIsItsOwnFamilysLoopback() {
        assertEquals(new InetSocketAddress("127.0.0.1", 8000), dualStack.upstream(new InetSocketAddress(ALIAS, 8000)));
        assertEquals(new InetSocketAddress(ipv6("::1"), 8000),
                dualStack.upstream(new InetSocketAddress(ipv6(RelayConfig.Ipv6.HOST_ALIAS), 8000)));
    }

    @Test
    void otherDestinationsAreDialledAsAddressed() {
        InetSocketAddress v6 = new InetSocketAddress(ipv6("2001:db8::1"), 443);
        InetSocketAddress v4 = new InetSocketAddress(RelayConfig.ipv4(192, 0, 2, 1), 443);
        assertEquals(v6, dualStack.upstream(v6));
        assertEquals(v4, dualStack.upstream(v4));
    }

    @Test
    void loopbackAndUnspecifiedDestinationsAreHostLocalButTheAliasesAreNot() {
        assertTrue(dualStack.isHostLocal(new InetSocketAddress(RelayConfig.ipv4(127, 0, 0, 1), 80)));
        assertTrue(dualStack.isHostLocal(new InetSocketAddress(RelayConfig.ipv4(127, 255, 0, 9), 80)));
        assertTrue(dualStack.isHostLocal(new InetSocketAddress(RelayConfig.ipv4(0, 0, 0, 0), 80)));
        assertTrue(dualStack.isHostLocal(new InetSocketAddress(ipv6("::1"), 80)));
        assertTrue(dualStack.isHostLocal(new InetSocketAddress(ipv6("::"), 80)));
        assertFalse(dualStack.isHostLocal(new InetSocketAddress(ALIAS, 80)));
        assertFalse(dualStack.isHostLocal(new InetSocketAddress(ipv6(RelayConfig.Ipv6.HOST_ALIAS), 80)));
        assertFalse(dualStack.isHostLocal(new InetSocketAddress(RelayConfig.ipv4(192, 0, 2, 1), 80)));
    }

    @Test
    void bothGatewaysAreTheGateway() {
        assertTrue(dualStack.isGateway(new InetSocketAddress(GATEWAY, 53)));
        assertTrue(dualStack.isGateway(new InetSocketAddress(ipv6("fd77:6874:7470::1"), 53)));
        assertFalse(dualStack.isGateway(new InetSocketAddress(ipv6(RelayConfig.Ipv6.HOST_ALIAS), 53)));
    }

    @Test
    void withoutIpv6TheIpv6AddressesMeanNothingSpecial() {
        AddressMap ipv4Only = new AddressMap(GATEWAY, ALIAS);
        InetSocketAddress alias6 = new InetSocketAddress(ipv6(RelayConfig.Ipv6.HOST_ALIAS), 80);
        assertEquals(alias6, ipv4Only.upstream(alias6));
        assertFalse(ipv4Only.isGateway(new InetSocketAddress(ipv6("fd77:6874:7470::1"), 53)));
    }

    private static Inet6Address ipv6(String literal) {
        try {
            return (Inet6Address) InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
