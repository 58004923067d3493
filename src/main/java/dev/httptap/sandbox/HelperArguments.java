package dev.httptap.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The native helper's command line and environment for a {@link SandboxSpec} (see native-helper/main.c). */
final class HelperArguments {
    private HelperArguments() {}

    /** argv, starting with the helper's path; the command follows "--" untouched. */
    static List<String> argv(Path helper, SandboxSpec spec) {
        List<String> argv = new ArrayList<>();
        argv.add(helper.toString());
        if (spec.verbose()) {
            argv.add("--verbose");
        }
        if (!spec.newUserNamespace()) {
            argv.add("--no-userns");
        }
        argv.add("--tun");
        argv.add(spec.tunName());
        argv.add("--address");
        argv.add(spec.address().getHostAddress() + "/" + spec.prefixLength());
        argv.add("--gateway");
        argv.add(spec.gateway().getHostAddress());
        if (spec.ipv6() != null) {
            argv.add("--address6");
            argv.add(spec.ipv6().helperAddress());
            argv.add("--gateway6");
            argv.add(spec.ipv6().gateway().getHostAddress());
        }
        argv.add("--mtu");
        argv.add(Integer.toString(spec.mtu()));
        if (spec.user() != null) {
            argv.add("--user");
            argv.add(spec.user());
        }
        for (BindMount mount : spec.bindMounts()) {
            argv.add("--bind");
            argv.add(mount.helperArgument());
        }
        argv.add("--");
        argv.addAll(spec.command());
        return argv;
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
