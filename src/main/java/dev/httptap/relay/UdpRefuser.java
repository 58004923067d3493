package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;

/** Answers the child's datagram with ICMP port unreachable: the stack's {@code sendIcmpPortUnreachable}. */
@FunctionalInterface
interface UdpRefuser {
    void refuse(FlowId flow, ByteBuffer payload);
}
