package dev.httptap.wire;

/** The protocol number of an IP payload; numbers this code does not know are kept as they are. */
public record IpProtocol(int number) {
    public static final IpProtocol ICMP = new IpProtocol(1);
    public static final IpProtocol TCP = new IpProtocol(6);
    public static final IpProtocol UDP = new IpProtocol(17);
    public static final IpProtocol ICMPV6 = new IpProtocol(58);

    public IpProtocol {
        if (number < 0 || number > 255) {
            throw new IllegalArgumentException("protocol number out of range: " + number);
        }
    }

    /** The protocol of a number, sharing the constants for the common ones. */
    public static IpProtocol of(int number) {
        return switch (number) {
            case 1 -> ICMP;
            case 6 -> TCP;
            case 17 -> UDP;
            case 58 -> ICMPV6;
            default -> new IpProtocol(number);
        };
    }

    // equals and hashCode are written out, here and in the other records every packet meets (the addresses,
    // the stack's ConnectionKey): a record's generated ones link through invokedynamic on first use, spinning
    // method-handle classes the start-up archive cannot keep, ~10 ms between the child's first SYN and its
    // connect.

    @Override
    public boolean equals(Object other) {
        return other instanceof IpProtocol protocol && protocol.number == number;
    }

    @Override
    public int hashCode() {
        return number;
    }

    @Override
    public String toString() {
        return switch (number) {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "ICMPv6";
            default -> "protocol " + number;
        };
    }
}
