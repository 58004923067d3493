package dev.httptap.stack;

import dev.httptap.wire.Icmpv4;
import dev.httptap.wire.Icmpv6;

/** The ICMP messages the stack sends, with their type and code in ICMPv4 (RFC 792) and ICMPv6 (RFC 4443). */
enum IcmpMessage {
    ECHO_REPLY(Icmpv4.TYPE_ECHO_REPLY, 0, Icmpv6.TYPE_ECHO_REPLY, 0),
    /** What a router says when the destination does not answer: both make connect() fail EHOSTUNREACH. */
    HOST_UNREACHABLE(Icmpv4.TYPE_DESTINATION_UNREACHABLE, Icmpv4.CODE_HOST_UNREACHABLE,
            Icmpv6.TYPE_DESTINATION_UNREACHABLE, Icmpv6.CODE_ADDRESS_UNREACHABLE),
    /** What a host says to UDP for a port nothing listens on: a connected socket fails ECONNREFUSED. */
    PORT_UNREACHABLE(Icmpv4.TYPE_DESTINATION_UNREACHABLE, Icmpv4.CODE_PORT_UNREACHABLE,
            Icmpv6.TYPE_DESTINATION_UNREACHABLE, Icmpv6.CODE_PORT_UNREACHABLE);

    final int v4Type;
    final int v4Code;
    final int v6Type;
    final int v6Code;

    IcmpMessage(int v4Type, int v4Code, int v6Type, int v6Code) {
        this.v4Type = v4Type;
        this.v4Code = v4Code;
        this.v6Type = v6Type;
        this.v6Code = v6Code;
    }
}
