package dev.httptap.policy;

import dev.httptap.wire.IpAddress;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv6Address;

/**
 * An address or a block of them, as users write them: {@code 10.0.0.5}, {@code 10.0.0.0/8},
 * {@code 2001:db8::/32}. A single address is a block of its full length.
 */
record AddressBlock(IpAddress base, int prefixLength) {
    /** Whether {@code address} is in the block: same version, same first {@code prefixLength} bits. */
    boolean contains(IpAddress address) {
        if (base instanceof Ipv4Address v4 && address instanceof Ipv4Address other) {
            return v4.sameSubnet(other, prefixLength);
        }
        if (base instanceof Ipv6Address v6 && address instanceof Ipv6Address other) {
            int highBits = Math.min(prefixLength, 64);
            int lowBits = prefixLength - highBits;
            return (v6.high() & mask(highBits)) == (other.high() & mask(highBits))
                    && (v6.low() & mask(lowBits)) == (other.low() & mask(lowBits));
        }
        return false;
    }

    /** The first {@code bits} bits of a long set (0 to 64). */
    private static long mask(int bits) {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    /** The block of {@code address} and the prefix text after its '/' (null for the single address). */
    static AddressBlock of(IpAddress address, String prefix) {
        int longest = address instanceof Ipv4Address ? 32 : 128;
        if (prefix == null) {
            return new AddressBlock(address, longest);
        }
        int length = prefix.matches("\\d{1,3}") ? Integer.parseInt(prefix) : -1;
        if (length < 0 || length > longest) {
            throw new IllegalArgumentException("'/" + prefix + "' is not a prefix length (0-" + longest + ")");
        }
        return new AddressBlock(address, length);
    }
}
