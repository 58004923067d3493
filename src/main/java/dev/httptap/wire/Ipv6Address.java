package dev.httptap.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** An IPv6 address as its 128 bits in two halves, most significant byte first on the wire. */
public record Ipv6Address(long high, long low) implements IpAddress {
    public static final int BYTES = 16;

    /** The address of 16 bytes in network order. */
    public static Ipv6Address fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new Ipv6Address(buffer.getLong(0), buffer.getLong(8));
    }

    /** The address of a literal such as {@code fd77:6874:7470::1} (no name lookup). */
    public static Ipv6Address parse(String literal) {
        if (!literal.contains(":")) {
            throw new IllegalArgumentException("not an IPv6 literal: " + literal);
        }
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length < BYTES) { // the JDK turns ::ffff:a.b.c.d into a.b.c.d
                return new Ipv6Address(0, 0xFFFF_0000_0000L | (ByteBuffer.wrap(bytes).getInt() & 0xFFFF_FFFFL));
            }
            return fromBytes(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 literal: " + literal, e);
        }
    }

    /**
     * The address of {@code text} when it is an IPv6 literal without brackets or zone, as users and clients
     * write them in URLs and patterns; empty for anything else, which is never looked up as a name.
     */
    public static Optional<Ipv6Address> ofLiteral(String text) {
        if (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads 16 bytes at absolute {@code at} of a big-endian buffer. */
    static Ipv6Address read(ByteBuffer buffer, int at) {
        return new Ipv6Address(buffer.getLong(at), buffer.getLong(at + 8));
    }

    /** Writes the 16 bytes at absolute {@code at} of a big-endian buffer. */
    void write(ByteBuffer buffer, int at) {
        buffer.putLong(at, high);
        buffer.putLong(at + 8, low);
    }

    /** ff00::/8. */
    public boolean isMulticast() {
        return (high >>> 56) == 0xFF;
    }

    /** ::ffff:0:0/96, which never belongs on the wire (RFC 4291 section 2.5.5.2). */
    public boolean isIpv4Mapped() {
        return high == 0 && (low >>> 32) == 0xFFFF;
    }

    @Override
    public IpVersion version() {
        return IpVersion.V6;
    }

    /**
     * The same address as a JDK value. The JDK would turn an IPv4-mapped address into an IPv4 one, so this
     * always builds an {@link Inet6Address}.
     */
    @Override
    public Inet6Address toInetAddress() {
        byte[] bytes = ByteBuffer.allocate(BYTES).putLong(high).putLong(low).array();
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("sixteen bytes are always a valid IPv6 address", impossible);
        }
    }

    // equals and hashCode are written out for start-up's sake: see IpProtocol.

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv6Address address && address.high == high && address.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }

    /** The canonical text form of RFC 5952: lower case, the longest run of two or more zero groups as "::". */
    @Override
    public String toString() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? high : low;
            groups[i] = (int) (half >>> (48 - 16 * (i % 4))) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end == i ? i + 1 : end;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
