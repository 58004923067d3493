package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TapSettingsTest {
    private static TapSettings settings(String... args) {
        Options options = new Options();
        new CommandLine(options).setStopAtPositional(true).parseArgs(args);
        options.applyEnvironment(Map.of());
        return TapSettings.from(options);
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
        assertEquals("nobody", s.user());
    }

    @Test
    void subnetContainment() {
        Subnet subnet = Subnet.parse("192.168.7.9/16");
        assertTrue(subnet.contains(Subnet.parseIpv4("192.168.200.1")));
        assertFalse(subnet.contains(Subnet.parseIpv4("192.169.0.1")));
    }
}
