package dev.httptap.dns;

/**
 * One entry of a question section. {@code name} is dotted without the final dot ("" is the root), in the
 * case the sender used: resolvers may randomise case and expect it echoed.
 */
public record DnsQuestion(String name, int type, int dnsClass) {
    public static final int TYPE_A = 1;
    public static final int TYPE_AAAA = 28;
    public static final int CLASS_IN = 1;

    /** Same name (case-insensitively, as DNS compares names), type and class. */
    public boolean matches(DnsQuestion other) {
        return type == other.type && dnsClass == other.dnsClass && name.equalsIgnoreCase(other.name);
    }
}
