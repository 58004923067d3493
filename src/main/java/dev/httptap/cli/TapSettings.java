package dev.httptap.cli;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The checked settings of one run, made from the parsed {@link Options}. */
record TapSettings(
        List<String> command,
        String tunName,
        Subnet subnet,
        Inet4Address gateway,
        boolean newUserNamespace,
        String user,
        boolean overlay,
        Set<Integer> httpPorts,
        Set<Integer> httpsPorts,
        Optional<Path> caFile,
        boolean insecure,
        boolean freshCa,
        boolean noExit,
        boolean verbose,
        boolean printHeads,
        boolean printBodies,
        int maxBodyPrint,
        boolean printDns,
        RecordingSettings recording,
        boolean allowQuic,
        boolean dumpTcp) {
    /** Bound on --max-body-print: every exchange in flight may hold that much (plus slack) while printing. */
    static final int MAX_BODY_PRINT_LIMIT = 16 * 1024 * 1024;

    /** Throws {@link IllegalArgumentException} with a message fit for the user when a value is wrong. */
    static TapSettings from(Options options) {
        Subnet subnet = Subnet.parse(options.subnet);
        Inet4Address gateway = Subnet.parseIpv4(options.gateway);
        if (!subnet.contains(gateway)) {
            throw new IllegalArgumentException("--gateway " + options.gateway + " is not inside --subnet " + options.subnet);
        }
        if (gateway.equals(subnet.address())) {
            throw new IllegalArgumentException("--gateway must differ from the --subnet address");
        }
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
                options.user,
                !options.noOverlay,
                ports("--http", options.httpPorts),
                ports("--https", options.httpsPorts == null ? List.of(443) : options.httpsPorts),
                Optional.ofNullable(options.caFile).map(Path::of),
                options.insecure,
                options.freshCa,
                options.noExit,
                options.verbose,
                options.head,
                options.body,
                options.maxBodyPrint,
                options.printDns,
                RecordingSettings.from(options),
                options.allowQuic,
                options.dumpTcp);
    }

    /**
     * Whether the sandbox is the usual one, the only one an early-start plan is made for: the default
     * interface and gateway, a user namespace, the caller's identity, the overlay mounts, a kept CA.
     */
    boolean hasDefaultSandbox() {
        Options defaults = new Options();
        return tunName.equals(defaults.tun) && subnet.equals(Subnet.parse(defaults.subnet))
                && gateway.equals(Subnet.parseIpv4(defaults.gateway)) && newUserNamespace && user == null && overlay
                && !freshCa;
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
