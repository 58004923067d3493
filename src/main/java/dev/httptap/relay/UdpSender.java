package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;

/** Sends a datagram to the child, from {@code flow.server()}: the stack's {@code sendUdp}. */
@FunctionalInterface
interface UdpSender {
    void sendUdp(FlowId flow, ByteBuffer payload);
}
