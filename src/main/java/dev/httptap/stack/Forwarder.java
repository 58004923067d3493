package dev.httptap.stack;

import java.nio.ByteBuffer;

/**
 * The policy outside the stack (as gVisor's forwarder): the stack reports new flows, the forwarder
 * decides what to do with them. Called only on the stack's thread, from {@link NetworkStack#receive}.
 */
public interface Forwarder {
    /**
     * A SYN for a new connection arrived. The forwarder answers later, once it knows whether the real
     * destination accepted, with {@link TcpConnectRequest#accept} or one of the refusals. Retransmitted
     * SYNs for a pending request do not call this again.
     */
    void onTcpConnectRequest(TcpConnectRequest request);

    /** A UDP datagram from the child; {@code payload} is only valid during the call. */
    void onUdpDatagram(FlowId flow, ByteBuffer payload);
}
