package dev.httptap.wire;

/** The IP version in the first nibble of every IP packet. */
public enum IpVersion {
    V4(Ipv4Header.LENGTH),
    V6(Ipv6Header.LENGTH);

    private final int headerLength;

    IpVersion(int headerLength) {
        this.headerLength = headerLength;
    }

    /** The length of the IP headers this code emits: no IPv4 options, no IPv6 extension headers. */
    public int headerLength() {
        return headerLength;
    }

    /** The version of the packet starting with {@code firstByte}, or null for anything else. */
    public static IpVersion ofFirstByte(int firstByte) {
        return switch ((firstByte >> 4) & 0xF) {
            case 4 -> V4;
            case 6 -> V6;
            default -> null;
        };
    }
}
