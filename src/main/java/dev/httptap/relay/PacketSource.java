package dev.httptap.relay;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Where the loop's packets come from: the TUN device, read on the loop's thread or on one of its own. */
interface PacketSource {
    /** Starts reading; the loop then runs a turn whenever packets wait. */
    void start();

    /** On the loop thread: hands {@code receiver} the packets read so far, each as a buffer positioned on it. */
    void drain(Consumer<ByteBuffer> receiver);

    /** Stops reading (bounded); the device itself stays open. */
    void stop();
}
