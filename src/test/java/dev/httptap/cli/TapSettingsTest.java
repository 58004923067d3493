package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.policy.Rule;
import dev.httptap.sandbox.InsideIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TapSettingsTest {
    /** Root's view: --user switches for real (CommandIdentityTest has the others). */
    private static final Caller ROOT = new Caller(true, Path.of("/nonexistent/passwd"));

    private static TapSettings settings(String... args) {
        return settings(Map.of(), args);
    }

    private static TapSettings settings(Map<String, String> env, String... args) {
        Options options = new Options();
        new CommandLine(options).setStopAtPositional(true).parseArgs(args);
        options.applyEnvironment(env);
        return TapSettings.from(options, ROOT);
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> settings(args)).getMessage();
    }

    @Test
    void parsesTheDefaults() {
        TapSettings s = settings();
        assertEquals("10.1.1.100", s.subnet().address().getHostAddress());
        assertEquals(24, s.subnet().prefixLength());
        assertEquals("10.1.1.1", s.gateway().getHostAddress());
        assertTrue(s.newUserNamespace());
        assertTrue(s.overlay());
        assertEquals(Set.of(80), s.httpPorts());
    }

    @Test
    void recordingOptionsAreChecked() {
        RecordingSettings recording = settings("--dump-har", "x.har", "--har-max-body", "100", "--dump-jsonl", "-",
                "--summary", "--filter", "method=GET").recording();
        assertEquals("x.har", recording.harFile().toString());
        assertEquals(100, recording.harMaxBody());
        assertEquals("-", recording.jsonLines());
        assertTrue(recording.summary());
        assertEquals(10 * 1024 * 1024, settings().recording().harMaxBody());
        assertEquals("--filter 'verb=GET': unknown key 'verb' (use host, method or status)",
                assertThrows(IllegalArgumentException.class, () -> settings("--filter", "verb=GET")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings("--har-max-body", "-1"));
    }

    @Test
    void captureOptionsAreChecked() {
        CaptureSettings capture = settings("--dump-pcap", "-", "--pcap-max-size", "1000", "--keylog", "keys.txt").capture();
        assertEquals(new CaptureSettings("-", 1000, java.nio.file.Path.of("keys.txt")), capture);
        assertEquals(new CaptureSettings(null, 0, null), settings().capture());
        assertEquals("--pcap-max-size must be 0 (no limit) or more bytes",
                assertThrows(IllegalArgumentException.class, () -> settings("--pcap-max-size", "-1")).getMessage());
        assertEquals("--dump-pcap and --dump-jsonl cannot both write to standard output",
                assertThrows(IllegalArgumentException.class, () -> settings("--dump-pcap", "-", "--dump-jsonl", "-"))
                        .getMessage());
        assertEquals("--keylog needs a file name",
                assertThrows(IllegalArgumentException.class, () -> settings("--keylog", "-")).getMessage());
    }

    @Test
    void quicIsRefusedUnlessAllowed() {
        assertFalse(settings().allowQuic());
        assertTrue(settings("--allow-quic").allowQuic());
    }

    @Test
    void tcpDumpOnlyWhenAsked() {
        assertFalse(settings().dumpTcp());
        assertTrue(settings("--dump-tcp").dumpTcp());
    }

    @Test
    void rejectsAGatewayOutsideTheSubnet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("--subnet", "10.1.1.100/24", "--gateway", "10.2.0.1"));
        assertTrue(e.getMessage().contains("not inside"));
    }

    /** The original takes --subnet 10.2.2.100/24 alone; the gateway is then the subnet's first address. */
    @Test
    void subnetAloneGetsAGatewayInsideIt() {
        TapSettings s = settings("--subnet", "10.2.2.100/24");
        assertEquals("10.2.2.1", s.gateway().getHostAddress());
        assertEquals("10.0.0.2", settings("--subnet", "10.0.0.1/30").gateway().getHostAddress(), "not its own address");
        assertEquals("172.16.0.1", settings("--subnet", "172.16.9.9/12").gateway().getHostAddress());
        assertEquals("10.2.2.7", settings("--subnet", "10.2.2.100/24", "--gateway", "10.2.2.7").gateway().getHostAddress());
        assertFalse(s.hasDefaultSandbox());
        assertTrue(settings().hasDefaultSandbox());
        assertTrue(settings("--subnet", "10.1.1.100/24", "--gateway", "10.1.1.1").hasDefaultSandbox());
    }

    @Test
    void passthroughIsRepeatableAndABadPatternNamesTheFlag() {
        assertEquals("[*.example.com, pinned.test:8443, [::1]]", settings("--passthrough", "*.example.com",
                "--passthrough=pinned.test:8443", "--passthrough", "[::1]", "--", "true").passThrough().toString());
        assertEquals("[]", settings("--", "true").passThrough().toString());
        assertEquals("--passthrough 'a.test:0': '0' is not a port (1-65535)", refusal("--passthrough", "a.test:0"));
    }

    @Test
    void theEgressPolicyTakesThePolicyFilesThenTheAllowsThenTheDenies(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("ci.policy"), "allow registry.test:443\n");
        EgressSettings egress = settings("--deny", "evil.test", "--allow", "*.example.com", "--policy", file.toString(),
                "--deny-dns", "--audit", "--", "true").egress();
        assertEquals(List.of(file + ":1 allow registry.test:443", "--allow *.example.com", "--deny evil.test"),
                egress.policy().rules().stream().map(Rule::origin).toList());
        assertTrue(egress.denyDns() && egress.audit() && !egress.failOnBlocked());
        assertTrue(settings("--", "true").egress().policy().allowsEverything());
        assertEquals("--allow 'a.test:0': '0' is not a port (1-65535)", refusal("--allow", "a.test:0"));
        assertEquals("--deny '10.0.0.0/40': '/40' is not a prefix length (0-32)", refusal("--deny", "10.0.0.0/40"));
        assertTrue(refusal("--policy", dir.resolve("missing").toString()).startsWith("--policy " + dir.resolve("missing") + ": cannot read it"));
    }

    @Test
    void addressErrorsNameTheirFlag() {
        assertEquals("--subnet '10.2.2': expected ADDRESS/PREFIX, like 10.1.1.100/24", refusal("--subnet", "10.2.2"));
        assertEquals("--subnet '10.2.2.1/x': the prefix length is not a number", refusal("--subnet", "10.2.2.1/x"));
        assertEquals("--subnet '10.2.2.1/31': the prefix length must be 1 to 30", refusal("--subnet", "10.2.2.1/31"));
        assertEquals("--subnet 'host/24': not an IPv4 address (A.B.C.D)", refusal("--subnet", "host/24"));
        assertEquals("--gateway 'x': not an IPv4 address (A.B.C.D)", refusal("--gateway", "x"));
        assertEquals("--gateway '10.1.1.256': not an IPv4 address (A.B.C.D): 256 is over 255", refusal("--gateway", "10.1.1.256"));
    }

    @Test
    void uidAndGidAreTheIdsInsideAndLeaveTheUsualSandbox() {
        TapSettings s = settings("--uid", "0", "--gid", "1234");
        assertEquals(new InsideIds(OptionalLong.of(0), OptionalLong.of(1234)), s.identity().insideIds());
        assertNull(s.identity().switchTo());
        assertFalse(s.hasDefaultSandbox(), "no early-start plan is made for other ids");
        assertEquals(InsideIds.USUAL, settings().identity().insideIds());
        assertEquals("--uid 4294967295: an id is 0 to 4294967294", refusal("--uid", "4294967295"));
        assertEquals("--gid -1: an id is 0 to 4294967294", refusal("--gid", "-1"));
    }

    @Test
    void theStackIsAcceptedWithANote() {
        assertEquals(List.of(), settings().notes());
        assertEquals(List.of("--stack gvisor: this implementation has one TCP/IP stack of its own, used whatever the choice"),
                settings("--stack", "gvisor").notes());
        assertEquals(1, settings(Map.of("HTTPTAP_STACK", "homegrown")).notes().size());
        assertEquals("--stack tcp: expected gvisor or homegrown", refusal("--stack", "tcp"));
    }

    @Test
    void rejectsMalformedAddressesWithoutLookingThemUp() {
        assertThrows(IllegalArgumentException.class, () -> settings("--subnet", "example/24"));
        assertThrows(IllegalArgumentException.class, () -> settings("--subnet", "10.1.1.300/24"));
        assertThrows(IllegalArgumentException.class, () -> settings("--subnet", "10.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> settings("--gateway", "10.1.1"));
    }

    @Test
    void rejectsBadPortsAndTunNames() {
        assertThrows(IllegalArgumentException.class, () -> settings("--http", "0"));
        assertThrows(IllegalArgumentException.class, () -> settings("--http", "70000"));
        assertThrows(IllegalArgumentException.class, () -> settings("--tun", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> settings("--tun", "a-very-long-name-x"));
    }

    @Test
    void outputOptionsAreCarriedAndTheBodyLimitChecked() {
        TapSettings s = settings("--head", "--body", "--max-body-print", "0", "--print-dns");
        assertTrue(s.printHeads());
        assertTrue(s.printBodies());
        assertEquals(0, s.maxBodyPrint());
        assertTrue(s.printDns());
        assertFalse(settings().printBodies());
        assertThrows(IllegalArgumentException.class, () -> settings("--max-body-print", "-1"));
        assertThrows(IllegalArgumentException.class, () -> settings("--max-body-print", "999999999"));
    }

    @Test
    void noNewUserNamespaceAndNoOverlayAreHonoured() {
        TapSettings s = settings("--no-new-user-namespace", "--no-overlay", "--user", "nobody");
        assertFalse(s.newUserNamespace());
        assertFalse(s.overlay());
        assertEquals("nobody", s.identity().switchTo());
    }

    @Test
    void subnetContainment() {
        Subnet subnet = Subnet.parse("192.168.7.9/16");
        assertTrue(subnet.contains(Subnet.parseIpv4("192.168.200.1")));
        assertFalse(subnet.contains(Subnet.parseIpv4("192.169.0.1")));
    }
}
