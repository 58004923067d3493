package dev.httptap.cli;

import dev.httptap.policy.DestinationPattern;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The checked settings of one run, made from the parsed {@link Options}. */
record TapSettings(
        List<String> command,
        String tunName,
        Subnet subnet,
        Inet4Address gateway,
        boolean newUserNamespace,
        CommandIdentity identity,
        boolean overlay,
        Set<Integer> httpPorts,
        Set<Integer> httpsPorts,
        Optional<Path> caFile,
        boolean insecure,
        List<DestinationPattern> passThrough,
        boolean freshCa,
        boolean noExit,
        boolean verbose,
        boolean printHeads,
        boolean printBodies,
        int maxBodyPrint,
        boolean printDns,
        RecordingSettings recording,
        CaptureSettings capture,
        boolean allowQuic,
        boolean dumpTcp,
        EgressSettings egress,
        List<String> notes) {
    /** Bound on --max-body-print: every exchange in flight may hold that much (plus slack) while printing. */
    static final int MAX_BODY_PRINT_LIMIT = 16 * 1024 * 1024;

    /** The original's: the command's address, and the gateway when neither --subnet nor --gateway is given. */
    static final String DEFAULT_SUBNET = "10.1.1.100/24";

    /** As {@link #from(Options, Caller)} for the caller this process is. */
    static TapSettings from(Options options) {
        return from(options, Caller.current());
    }

    /** Throws {@link IllegalArgumentException} with a message fit for the user when a value is wrong. */
    static TapSettings from(Options options, Caller caller) {
        Subnet subnet = parsed("--subnet", options.subnet, Subnet::parse);
        Inet4Address gateway = options.gateway == null ? subnet.firstOtherAddress()
                : parsed("--gateway", options.gateway, Subnet::parseIpv4);
        if (!subnet.contains(gateway)) {
            throw new IllegalArgumentException("--gateway " + options.gateway + " is not inside --subnet " + options.subnet);
        }
        if (gateway.equals(subnet.address())) {
            throw new IllegalArgumentException("--gateway must differ from the --subnet address");
        }
        CommandIdentity identity = CommandIdentity.choose(options.user, options.uid, options.gid,
                !options.noNewUserNamespace, caller);
        List<String> notes = new ArrayList<>();
        options.stackNote.ifPresent(notes::add);
        identity.note().ifPresent(notes::add);
        if (options.tun.isEmpty() || options.tun.length() > 15 || !options.tun.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("--tun must be 1-15 letters, digits, '_', '.' or '-'");
        }
        if (options.maxBodyPrint < 0 || options.maxBodyPrint > MAX_BODY_PRINT_LIMIT) {
            throw new IllegalArgumentException("--max-body-print must be 0-" + MAX_BODY_PRINT_LIMIT + " bytes");
        }
        return new TapSettings(
                List.copyOf(options.command),
                options.tun,
                subnet,
                gateway,
                !options.noNewUserNamespace,
                identity,
                !options.noOverlay,
                ports("--http", options.httpPorts),
                ports("--https", options.httpsPorts == null ? List.of(443) : options.httpsPorts),
                Optional.ofNullable(options.caFile).map(Path::of),
                options.insecure,
                passThroughPatterns(options.passThrough),
                options.freshCa,
                options.noExit,
                options.verbose,
                options.head,
                options.body,
                options.maxBodyPrint,
                options.printDns,
                RecordingSettings.from(options),
                CaptureSettings.from(options),
                options.allowQuic,
                options.dumpTcp,
                EgressSettings.from(options),
                List.copyOf(notes));
    }

    /**
     * Whether the sandbox is the usual one, the only one an early-start plan is made for: the default
     * interface and gateway, a user namespace, the caller's identity and ids, the overlay mounts, a kept CA.
     */
    boolean hasDefaultSandbox() {
        Subnet defaultSubnet = Subnet.parse(DEFAULT_SUBNET);
        return tunName.equals(new Options().tun) && subnet.equals(defaultSubnet)
                && gateway.equals(defaultSubnet.firstOtherAddress()) && newUserNamespace
                && identity.isCallers() && overlay && !freshCa;
    }

    /** The value of {@code flag} parsed, or an error naming the flag and the value. */
    private static <T> T parsed(String flag, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " '" + value + "': " + e.getMessage(), e);
        }
    }

    private static List<DestinationPattern> passThroughPatterns(List<String> given) {
        List<DestinationPattern> patterns = new ArrayList<>();
        for (String text : given == null ? List.<String>of() : given) {
            patterns.add(parsed("--passthrough", text, DestinationPattern::parse));
        }
        return List.copyOf(patterns);
    }

    private static Set<Integer> ports(String flag, List<Integer> given) {
        Set<Integer> ports = new TreeSet<>();
        for (int port : given) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(flag + " " + port + ": a port is 1-65535");
            }
            ports.add(port);
        }
        return Set.copyOf(ports);
    }
}
