package dev.httptap.relay;

import java.nio.ByteBuffer;

/** Where the loop's packets come from: the TUN device, read on the loop's thread or on one of its own. */
interface PacketSource {
    /** What takes each packet read. */
    @FunctionalInterface
    interface Receiver {
        /** {@code checksumTrusted}: the device says the packet's TCP or UDP checksum needs no check. */
        void receive(ByteBuffer packet, boolean checksumTrusted);
    }

    /** Starts reading; the loop then runs a turn whenever packets wait. */
    void start();

    /** On the loop thread: hands {@code receiver} the packets read so far, each as a buffer positioned on it. */
    void drain(Receiver receiver);

    /** Stops reading (bounded); the device itself stays open. */
    void stop();
}
