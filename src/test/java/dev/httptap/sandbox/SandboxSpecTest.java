package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxSpecTest {
    @Test
    void refusesAnEmptyCommand() {
        assertThrows(IllegalArgumentException.class, () -> SandboxSpec.of(List.of()));
    }

    @Test
    void refusesAGatewayOutsideTheSubnet() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec("10.1.1.100", 24, "10.1.2.1"));
        assertEquals("gateway 10.1.2.1 must be another address in 10.1.1.100/24", e.getMessage());
    }

    @Test
    void refusesTheGatewayBeingTheAddressItself() {
        assertThrows(IllegalArgumentException.class, () -> spec("10.1.1.100", 24, "10.1.1.100"));
    }

    @Test
    void acceptsAGatewayInsideAWideSubnet() throws Exception {
        assertEquals(8, spec("10.1.1.100", 8, "10.200.0.1").prefixLength());
    }

    @Test
    void refusesATunNameTooLongForTheKernel() {
        SandboxSpec base = SandboxSpec.of(List.of("true"));
        assertThrows(IllegalArgumentException.class, () -> new SandboxSpec(base.command(), base.environment(),
                "a-very-long-name0", base.address(), 24, base.gateway(), 65520, true, null, List.of(), false));
    }

    @Test
    void copiesItsListsSoLaterChangesDoNotLeakIn() {
        List<String> command = new java.util.ArrayList<>(List.of("true"));
        SandboxSpec spec = SandboxSpec.of(command);
        command.add("extra");
        assertEquals(List.of("true"), spec.command());
    }

    private static SandboxSpec spec(String address, int prefix, String gateway) throws Exception {
        return new SandboxSpec(List.of("true"), Map.of(), "httptap0", (Inet4Address) InetAddress.getByName(address),
                prefix, (Inet4Address) InetAddress.getByName(gateway), 65520, true, null, List.of(), false);
    }
}
