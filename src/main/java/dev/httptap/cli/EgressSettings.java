package dev.httptap.cli;

import dev.httptap.policy.Policy;
import dev.httptap.policy.PolicyFile;
import dev.httptap.policy.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The egress policy of a run: the rules of --policy, then --allow, then --deny (their order only decides
 * which allow rule a line cites: any deny wins); --deny-dns; --fail-on-blocked; --audit.
 */
record EgressSettings(Policy policy, boolean denyDns, boolean failOnBlocked, boolean audit) {
    /**
     * httptap's exit status when --fail-on-blocked is given, something was blocked, and the command itself
     * succeeded (exited 0): neither 1 (httptap failed) nor 2 (bad usage).
     */
    static final int EXIT_BLOCKED = 3;

    /** Throws {@link IllegalArgumentException} naming the flag (or file and line) and what is wrong. */
    static EgressSettings from(Options options) {
        List<Rule> rules = new ArrayList<>();
        for (String file : options.policyFiles == null ? List.<String>of() : options.policyFiles) {
            rules.addAll(PolicyFile.read(Path.of(file)));
        }
        for (String pattern : options.allow == null ? List.<String>of() : options.allow) {
            rules.add(Rule.fromOption(Rule.Action.ALLOW, pattern));
        }
        for (String pattern : options.deny == null ? List.<String>of() : options.deny) {
            rules.add(Rule.fromOption(Rule.Action.DENY, pattern));
        }
        return new EgressSettings(new Policy(rules), options.denyDns, options.failOnBlocked, options.audit);
    }
}
