package dev.httptap.wire;

/** ICMPv6's type and code numbers (RFC 4443) that httptap reads or sends. */
public final class Icmpv6 {
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** An ICMPv6 error quotes as much of the offending packet as fits in the minimum IPv6 MTU. */
    public static final int MINIMUM_MTU = 1280;

    private Icmpv6() {}
}
