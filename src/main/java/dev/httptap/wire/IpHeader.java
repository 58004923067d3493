package dev.httptap.wire;

import java.nio.ByteBuffer;

/** An IP header of either version to emit in front of a transport payload. */
public sealed interface IpHeader permits Ipv4Header, Ipv6Header {
    /** Bytes of this header. */
    int length();

    /** Header plus payload. */
    int totalLength();

    /** The pseudo-header sum for the payload's TCP, UDP or ICMPv6 checksum. */
    long pseudoHeaderSum();

    /** Writes the header at absolute index {@code at} of a big-endian buffer. */
    void emit(ByteBuffer buffer, int at);
}
