package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class OptionsTest {
    private static Options parse(String... args) {
        Options options = new Options();
        new CommandLine(options).setStopAtPositional(true).parseArgs(args);
        return options;
    }

    @Test
    void defaultsMatchTheOriginal() {
        Options options = parse();
        options.applyEnvironment(Map.of());
        assertEquals("httptap", options.tun);
        assertEquals("10.1.1.100/24", options.subnet);
        assertEquals(null, options.gateway, "derived from --subnet: TapSettings");
        assertEquals(List.of(80), options.httpPorts);
        assertEquals(List.of("/bin/sh"), options.command);
        assertFalse(options.dumpTcp);
    }

    @Test
    void commandAfterDoubleDashKeepsItsOwnFlags() {
        Options options = parse("-v", "--", "curl", "-s", "--verbose", "http://x/");
        assertTrue(options.verbose);
        assertEquals(List.of("curl", "-s", "--verbose", "http://x/"), options.command);
    }

    @Test
    void commandWithoutDoubleDashStopsOptionParsing() {
        Options options = parse("--stderr", "curl", "-v");
        assertTrue(options.stderr);
        assertEquals(List.of("curl", "-v"), options.command);
    }

    @Test
    void portListsTakeSeveralValues() {
        Options options = parse("--http", "80", "8080", "--https", "443", "6443", "--", "true");
        assertEquals(List.of(80, 8080), options.httpPorts);
        assertEquals(List.of(443, 6443), options.httpsPorts);
        assertEquals(List.of("true"), options.command);
    }

    @Test
    void dumpTcpFromTheFlagOrTheEnvironment() {
        assertTrue(parse("--dump-tcp").dumpTcp);
        Options fromEnv = parse();
        fromEnv.applyEnvironment(Map.of("HTTPTAP_DUMP_TCP", "1"));
        assertTrue(fromEnv.dumpTcp);
    }

    @Test
    void outputFlags() {
        Options options = parse("--head", "--body", "--max-body-print", "100", "--print-dns");
        assertTrue(options.head);
        assertTrue(options.body);
        assertTrue(options.printDns);
        assertEquals(100, options.maxBodyPrint);
        assertEquals(4096, parse().maxBodyPrint);
    }

    @Test
    void environmentSwitchesFlagsOn() {
        Options options = parse();
        options.applyEnvironment(Map.of(
                "HTTPTAP_VERBOSE", "1",
                "HTTPTAP_LOG_TO_STDERR", "true",
                "HTTPTAP_NO_OVERLAY", "T",
                "HTTPTAP_NO_NEW_USER_NAMESPACE", "0",
                "HTTPTAP_DUMP_TCP", "",
                "HTTPTAP_DUMP_HAR", "x.har"));
        assertTrue(options.verbose);
        assertTrue(options.stderr);
        assertTrue(options.noOverlay);
        assertFalse(options.noNewUserNamespace);
        assertFalse(options.dumpTcp, "empty is unset");
        assertEquals("x.har", options.dumpHar);
    }

    /** As Go's strconv.ParseBool, which the original's go-arg uses: what it refuses is an error, not false. */
    @Test
    void aBooleanVariableGoRefusesIsAnError() {
        for (String yes : List.of("1", "t", "T", "TRUE", "true", "True")) {
            assertTrue(Options.isSet(Map.of("HTTPTAP_VERBOSE", yes), "HTTPTAP_VERBOSE"), yes);
        }
        for (String no : List.of("0", "f", "F", "FALSE", "false", "False")) {
            assertFalse(Options.isSet(Map.of("HTTPTAP_VERBOSE", no), "HTTPTAP_VERBOSE"), no);
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> parse().applyEnvironment(Map.of("HTTPTAP_VERBOSE", "yes")));
        assertTrue(refused.getMessage().startsWith("environment variable HTTPTAP_VERBOSE=yes: not a boolean"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThrows(ParameterException.class, () -> parse("--no-such-flag"));
    }

    @Test
    void helpMentionsEveryFlag() {
        String help = new CommandLine(new Options()).getUsageMessage();
        for (String flag : List.of("--verbose", "--version", "--no-new-user-namespace", "--stderr", "--tun", "--subnet",
                "--gateway", "--user", "--uid", "--gid", "--stack", "--no-overlay", "--dump-tcp", "--dump-har", "--http", "--https", "--head", "--body",
                "--max-body-print", "--print-dns", "--no-exit", "--ca-file", "--insecure", "--dump-pcap", "--pcap-max-size",
                "--keylog")) {
            assertTrue(help.contains(flag), flag + " missing from --help");
        }
    }

    @Test
    void simpleLinesGiveExactlyWhatPicocliGives() {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"--"},
                new String[] {"--", "curl", "-s", "--verbose", "http://x/"},
                new String[] {"--", "--", "-v"},
                new String[] {"curl", "-v", "--", "--tun", "x"},
                new String[] {"A=b", "--stderr"},
                new String[] {"-v", "--", "true"},
                new String[] {"--verbose", "--head", "--body", "curl", "-v"},
                new String[] {"--stderr", "--no-overlay", "--dump-tcp", "--summary", "--insecure", "--fresh-ca",
                    "--print-dns", "--no-exit", "--allow-quic", "--", "--head"},
                new String[] {"--ca-file", "/tmp/ca.pem", "--dump-har", "x.har", "--", "curl"},
                new String[] {"--ca-file=/tmp/ca.pem", "--dump-jsonl=a=b.jsonl", "--filter=host=*.example.com,status=4xx"},
                new String[] {"--filter", "method=POST", "--head"},
                new String[] {"--dump-pcap", "x.pcapng", "--keylog=keys.txt", "--", "curl"},
                new String[] {"--passthrough", "*.example.com", "--", "curl"},
                new String[] {"--allow", "*.example.com:443", "--deny=10.0.0.0/8", "--policy", "ci.policy", "--deny-dns",
                    "--fail-on-blocked", "--audit", "--", "curl"},
                new String[] {"--head"});
        for (String[] line : lines) {
            Options quick = Options.withoutPicocli(line).orElseThrow(() -> new AssertionError(List.of(line)));
            assertEquals(fieldsOf(parse(line)), fieldsOf(quick), List.of(line).toString());
        }
    }

    @Test
    void everyOtherLineGoesToPicocli() {
        for (String[] line : List.of(
                new String[] {"-v", "--verbose", "--", "true"},
                new String[] {"--head", "--head", "true"},
                new String[] {"--passthrough", "a.test", "--passthrough=b.test:8443", "true"},
                new String[] {"--allow", "a.test", "--allow", "b.test", "true"},
                new String[] {"--head=true", "true"},
                new String[] {"--ca-file"},
                new String[] {"--ca-file", "-v", "true"},
                new String[] {"--ca-file="},
                new String[] {"--dump-har", "@x", "true"},
                new String[] {"--max-body-print", "10", "true"},
                new String[] {"--dump-pcap", "-", "true"},
                new String[] {"--pcap-max-size", "1000", "true"},
                new String[] {"-v", "", "true"},
                new String[] {"--tun", "x", "true"},
                new String[] {"--help"},
                new String[] {"-", "true"},
                new String[] {"", "true"},
                new String[] {"--", "curl", "@args.txt"},
                new String[] {"@args.txt"})) {
            assertTrue(Options.withoutPicocli(line).isEmpty(), List.of(line).toString());
        }
    }

    /** Every option field by name, so that a field added later is compared too. */
    private static Map<String, Object> fieldsOf(Options options) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field field : Options.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            try {
                fields.put(field.getName(), field.get(options));
            } catch (IllegalAccessException e) {
                fail(e);
            }
        }
        return fields;
    }
}
