package dev.httptap.policy;

import java.util.Locale;

/**
 * One allow or deny rule of an egress {@link Policy}. {@code origin} says where it was written, as the
 * BLOCKED line names it: {@code --deny *.example.com}, or {@code rules.policy:3 deny *.example.com}.
 */
public record Rule(Action action, DestinationPattern pattern, String origin) {
    public enum Action {
        ALLOW, DENY;

        /** The word of the option and of the policy file: "allow", "deny". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A rule given as {@code --allow PATTERN} or {@code --deny PATTERN}; throws saying what is wrong. */
    public static Rule fromOption(Action action, String pattern) {
        return new Rule(action, parsePattern("--" + action.word(), pattern), "--" + action.word() + " " + pattern);
    }

    /** {@code pattern} parsed, or an {@link IllegalArgumentException} that names {@code where} and it. */
    static DestinationPattern parsePattern(String where, String pattern) {
        try {
            return DestinationPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " '" + pattern + "': " + e.getMessage(), e);
        }
    }
}
