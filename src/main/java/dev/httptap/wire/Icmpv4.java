package dev.httptap.wire;

/** ICMPv4's type and code numbers (RFC 792) that httptap reads or sends. */
public final class Icmpv4 {
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int CODE_NETWORK_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PORT_UNREACHABLE = 3;

    private Icmpv4() {}
}
