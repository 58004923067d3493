package dev.httptap.stack;

import java.nio.ByteBuffer;

/** Where the stack sends the IP packets it emits: the TUN device, or a list in tests. */
@FunctionalInterface
public interface PacketOutput {
    /**
     * Takes one whole IP packet, from {@code packet.position()} to {@code packet.limit()}. The buffer is
     * only valid during the call: an implementation that keeps the bytes must copy them.
     */
    void send(ByteBuffer packet);

    /**
     * True if this output completes TCP checksums itself (a TUN device with checksum offload): every TCP
     * segment sent to it then carries only the pseudo-header sum in its checksum field, and the stack never
     * sums the payload.
     */
    default boolean completesTcpChecksums() {
        return false;
    }
}
