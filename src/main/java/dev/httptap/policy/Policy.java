package dev.httptap.policy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which destinations the command may reach: allow and deny rules, in the order given. A deny rule that
 * matches wins over every allow rule; with any allow rule, a destination none matches is denied; with no
 * rule at all, everything is allowed. Pure: the relay asks, and acts on the answer.
 */
public final class Policy {
    public static final Policy ALLOW_ALL = new Policy(List.of());

    private final List<Rule> rules;
    private final boolean hasAllow;

    public Policy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.hasAllow = rules.stream().anyMatch(rule -> rule.action() == Rule.Action.ALLOW);
    }

    /** True when the policy has no rule, so nothing is ever denied (and nothing needs asking). */
    public boolean allowsEverything() {
        return rules.isEmpty();
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * The verdict on a connection to {@code destination} (the address the command dialled, before any
     * mapping), for {@code name}, the name the command used for it, if known.
     */
    public Verdict decide(Optional<String> name, InetSocketAddress destination) {
        Rule allowing = null;
        for (Rule rule : rules) {
            if (rule.pattern().matches(name, destination)) {
                if (rule.action() == Rule.Action.DENY) {
                    return new Verdict(false, rule.origin());
                }
                if (allowing == null) {
                    allowing = rule;
                }
            }
        }
        if (allowing != null) {
            return new Verdict(true, allowing.origin());
        }
        return hasAllow ? new Verdict(false, Verdict.NOT_ALLOWED) : Verdict.ALLOWED_WITHOUT_RULES;
    }

    /**
     * Whether a connection for {@code name} would be denied on every port whatever address it resolves to:
     * a deny glob for all ports matches it, or there are allow rules, none of them a glob that matches it
     * and none an address block (the name's addresses might be in one). For --deny-dns.
     */
    public boolean deniesName(String name) {
        boolean denied = rules.stream().anyMatch(rule -> rule.action() == Rule.Action.DENY
                && rule.pattern().anyPort() && rule.pattern().couldMatchName(name));
        return denied || hasAllow && rules.stream().noneMatch(rule -> rule.action() == Rule.Action.ALLOW
                && (rule.pattern().isAddressBlock() || rule.pattern().couldMatchName(name)));
    }

    /**
     * Whether some allow rule is a glob, which a name learnt later (a TLS SNI) could match when the
     * address alone is not allowed.
     */
    public boolean allowsSomeName() {
        return rules.stream().anyMatch(rule -> rule.action() == Rule.Action.ALLOW && !rule.pattern().isAddressBlock());
    }
}
