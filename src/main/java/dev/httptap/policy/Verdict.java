package dev.httptap.policy;

/**
 * What a {@link Policy} says of one destination: allowed or not, and {@code reason}, the rule that decided
 * it ({@link Rule#origin()}) or why no rule did.
 */
public record Verdict(boolean allowed, String reason) {
    /** The reason of a destination denied because there are --allow rules and none matches it. */
    public static final String NOT_ALLOWED = "no --allow matches";

    static final Verdict ALLOWED_WITHOUT_RULES = new Verdict(true, "no --allow given");
}
