package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HelperArgumentsTest {
    private static final Path HELPER = Path.of("/opt/httptap/httptap-helper");

    @Test
    void defaultSpecGivesTheNetworkAndTheCommandAfterDoubleDash() {
        SandboxSpec spec = SandboxSpec.of(List.of("curl", "--verbose", "http://x/"));

        assertEquals(List.of("/opt/httptap/httptap-helper",
                "--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--", "curl", "--verbose", "http://x/"), HelperArguments.argv(HELPER, spec, Sandbox.Leftovers.END_WITH_COMMAND));
    }

    @Test
    void everyOptionInTheHelpersOrder() {
        SandboxSpec spec = SandboxSpec.of(List.of("id"))
                .withVerbose(true)
                .withNewUserNamespace(false)
                .withUser("nobody")
                .withBindMounts(List.of(
                        new BindMount(Path.of("/tmp/resolv"), Path.of("/etc/resolv.conf")),
                        new BindMount(Path.of("/tmp/ca.pem"), Path.of("/etc/ssl/certs/ca-certificates.crt"))));

        assertEquals(List.of("/opt/httptap/httptap-helper", "--verbose", "--no-userns",
                "--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--user", "nobody",
                "--bind", "/tmp/resolv:/etc/resolv.conf",
                "--bind", "/tmp/ca.pem:/etc/ssl/certs/ca-certificates.crt",
                "--", "id"), HelperArguments.argv(HELPER, spec, Sandbox.Leftovers.END_WITH_COMMAND));
    }

    @Test
    void idsInsideGoToTheHelperEachOnlyWhenGiven() {
        SandboxSpec both = SandboxSpec.of(List.of("id")).withInsideIds(new InsideIds(OptionalLong.of(0), OptionalLong.of(4294967294L)));
        SandboxSpec gidOnly = SandboxSpec.of(List.of("id")).withInsideIds(new InsideIds(OptionalLong.empty(), OptionalLong.of(7)));

        assertEquals(List.of("--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--uid", "0", "--gid", "4294967294"), HelperArguments.options(both));
        assertEquals(List.of("--gid", "7"), HelperArguments.options(gidOnly).subList(8, 10));
        assertThrows(IllegalArgumentException.class, () -> new InsideIds(OptionalLong.of(4294967295L), OptionalLong.empty()));
    }

    @Test
    void helperGetsTheIpv6AddressAndGatewayAfterTheOtherOptions() {
        SandboxSpec spec = SandboxSpec.of(List.of("true")).withIpv6(TunIpv6.defaults());
        assertEquals(List.of("/opt/httptap/httptap-helper",
                "--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--address6", "fd77:6874:7470:0:0:0:0:100/64", "--gateway6", "fd77:6874:7470:0:0:0:0:1",
                "--", "true"), HelperArguments.argv(Path.of("/opt/httptap/httptap-helper"), spec, Sandbox.Leftovers.END_WITH_COMMAND));
    }

    @Test
    void theOptionsAnEarlyStartPlanKeepsLeaveOutIpv6AndTheCommand() {
        SandboxSpec spec = SandboxSpec.of(List.of("true")).withIpv6(TunIpv6.defaults());

        assertEquals(List.of("--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520"),
                HelperArguments.options(spec));
        assertEquals(List.of("--address6", "fd77:6874:7470:0:0:0:0:100/64", "--gateway6", "fd77:6874:7470:0:0:0:0:1"),
                HelperArguments.ipv6Options(spec));
    }

    @Test
    void closedStandardDescriptorsAreClosedForTheCommand() {
        SandboxSpec spec = SandboxSpec.of(List.of("true")).withClosedDescriptors(java.util.Set.of(0));

        assertEquals(List.of("/opt/httptap/httptap-helper",
                "--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--close-fd", "0", "--", "true"), HelperArguments.argv(HELPER, spec, Sandbox.Leftovers.END_WITH_COMMAND));
    }

    @Test
    void leftoversThatOutliveTheCommandAreAskedForBeforeIt() {
        SandboxSpec spec = SandboxSpec.of(List.of("true"));

        assertEquals(List.of("/opt/httptap/httptap-helper",
                "--tun", "httptap0", "--address", "10.1.1.100/24", "--gateway", "10.1.1.1", "--mtu", "65520",
                "--keep-leftovers", "--", "true"), HelperArguments.argv(HELPER, spec, Sandbox.Leftovers.OUTLIVE_COMMAND));
    }

    @Test
    void environmentBecomesNameEqualsValue() {
        SandboxSpec spec = SandboxSpec.of(List.of("env")).withEnvironment(Map.of("PATH", "/bin:/usr/bin"));

        assertEquals(List.of("PATH=/bin:/usr/bin"), HelperArguments.envp(spec));
    }

    @Test
    void relativeBindMountPathsBecomeAbsolute() {
        BindMount mount = new BindMount(Path.of("resolv.conf"), Path.of("/etc/resolv.conf"));

        assertEquals(Path.of("").toAbsolutePath().resolve("resolv.conf") + ":/etc/resolv.conf", mount.helperArgument());
    }

    @Test
    void aSourceWithAColonIsRefusedBecauseTheHelperSplitsThere() {
        assertThrows(IllegalArgumentException.class, () -> new BindMount(Path.of("/tmp/a:b"), Path.of("/etc/x")));
    }
}
