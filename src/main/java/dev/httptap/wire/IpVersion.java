package dev.httptap.wire;

/** The IP version in the first nibble of every IP packet. */
public enum IpVersion {
    V4,
    V6;

    /** The version of the packet starting with {@code firstByte}, or null for anything else. */
    public static IpVersion ofFirstByte(int firstByte) {
        return switch ((firstByte >> 4) & 0xF) {
            case 4 -> V4;
            case 6 -> V6;
            default -> null;
        };
    }
}
