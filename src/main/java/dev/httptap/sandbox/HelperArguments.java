package dev.httptap.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The native helper's command line and environment for a {@link SandboxSpec} (see native-helper/main.c). */
public final class HelperArguments {
    private HelperArguments() {}

    /** argv, starting with the helper's path; the command follows "--" untouched. */
    static List<String> argv(Path helper, SandboxSpec spec, Sandbox.Leftovers leftovers) {
        List<String> argv = new ArrayList<>();
        argv.add(helper.toString());
        argv.addAll(options(spec));
        argv.addAll(ipv6Options(spec));
        for (int fd : spec.closedDescriptors()) {
            argv.add("--close-fd");
            argv.add(Integer.toString(fd));
        }
        if (leftovers == Sandbox.Leftovers.OUTLIVE_COMMAND) {
            argv.add("--keep-leftovers");
        }
        argv.add("--");
        argv.addAll(spec.command());
        return argv;
    }

    /**
     * The options for everything but IPv6, the closed descriptors and the command: what an early-start
     * plan keeps for the launcher to start the same sandbox before the JVM is up.
     */
    public static List<String> options(SandboxSpec spec) {
        List<String> options = new ArrayList<>();
        if (spec.verbose()) {
            options.add("--verbose");
        }
        if (!spec.newUserNamespace()) {
            options.add("--no-userns");
        }
        options.add("--tun");
        options.add(spec.tunName());
        options.add("--address");
        options.add(spec.address().getHostAddress() + "/" + spec.prefixLength());
        options.add("--gateway");
        options.add(spec.gateway().getHostAddress());
        options.add("--mtu");
        options.add(Integer.toString(spec.mtu()));
        if (spec.user() != null) {
            options.add("--user");
            options.add(spec.user());
        }
        options.addAll(spec.insideIds().helperOptions());
        for (BindMount mount : spec.bindMounts()) {
            options.add("--bind");
            options.add(mount.helperArgument());
        }
        return options;
    }

    /** The IPv6 options, given only where the host has IPv6 (which the launcher checks again each run). */
    public static List<String> ipv6Options(SandboxSpec spec) {
        if (spec.ipv6() == null) {
            return List.of();
        }
        return List.of("--address6", spec.ipv6().helperAddress(), "--gateway6", spec.ipv6().gateway().getHostAddress());
    }

    /** envp: the command's environment as NAME=value strings (the helper exec's with its own environment). */
    static List<String> envp(SandboxSpec spec) {
        List<String> envp = new ArrayList<>();
        for (Map.Entry<String, String> entry : spec.environment().entrySet()) {
            envp.add(entry.getKey() + "=" + entry.getValue());
        }
        return envp;
    }
}
