package dev.httptap.relay;

import dev.httptap.stack.Clock;
import dev.httptap.stack.Forwarder;
import dev.httptap.stack.NetworkStack;
import dev.httptap.stack.PacketOutput;
import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.StackConfig;
import java.nio.ByteBuffer;

/**
 * The part of {@link NetworkStack} the relay drives. It is the seam between the two: production code uses
 * {@link #networkStack}, relay tests plug in a fake stack that talks to the {@link Forwarder} directly.
 */
interface PacketStack extends UdpSender, UdpRefuser {
    /** See {@link NetworkStack#receive}. */
    void receive(ByteBuffer packet, boolean checksumTrusted);

    /** See {@link NetworkStack#runTimers}. */
    long runTimers();

    /** Makes the stack once the relay has its packet output and its forwarder. */
    @FunctionalInterface
    interface Factory {
        PacketStack create(PacketOutput output, Forwarder forwarder);
    }

    /** The real stack, its connections' buffers counted in {@code budget}. */
    static Factory networkStack(StackConfig config, BufferBudget budget, Clock clock) {
        return (output, forwarder) -> {
            NetworkStack stack = new NetworkStack(config, budget, clock, output, forwarder, KernelRandom.open());
            return new PacketStack() {
                @Override
                public void receive(ByteBuffer packet, boolean checksumTrusted) {
                    stack.receive(packet, checksumTrusted);
                }

                @Override
                public long runTimers() {
                    return stack.runTimers();
                }

                @Override
                public void sendUdp(dev.httptap.stack.FlowId flow, ByteBuffer payload) {
                    stack.sendUdp(flow, payload);
                }

                @Override
                public void refuse(dev.httptap.stack.FlowId flow, ByteBuffer payload) {
                    stack.sendIcmpPortUnreachable(flow, payload);
                }
            };
        };
    }
}
