package dev.httptap.tun;

import dev.httptap.wire.PacketSummary.Direction;
import java.nio.ByteBuffer;

/** Hears every packet passing through an {@link ObservedDevice}. */
@FunctionalInterface
public interface PacketObserver {
    /**
     * {@code packet} runs from its position to its limit, which the observer must not move (it is a view of the
     * relay's own buffer) nor keep after the call.
     */
    void onPacket(ByteBuffer packet, Direction direction);
}
