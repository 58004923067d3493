package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the TUN device on the loop's own thread. The device is in the selector's epoll set, so the loop's one
 * wait covers packets and sockets alike, and a packet costs no handover between threads: no wakeup call, no
 * second thread scheduled (the per-request cost of {@link TunReader}). The epoll entry is level-triggered,
 * so packets left in the device after a turn's share make the next wait return at once.
 */
final class InlineTunReader implements PacketSource {
    /** Batches read per turn at most, so the loop's sockets get their turn under a flood of packets. */
    static final int BATCHES_PER_TURN = 4;

    private final PacketDevice device;
    private final int epollFd;
    private final int maxPacketBytes;
    private final PacketBatch batch;
    private volatile boolean reading = true;

    InlineTunReader(PacketDevice device, int epollFd, int maxPacketBytes, int batchBytes) {
        this.device = device;
        this.epollFd = epollFd;
        this.maxPacketBytes = maxPacketBytes;
        this.batch = new PacketBatch(Math.max(batchBytes, maxPacketBytes));
    }

    /** A reader for {@code loop}'s thread, if both the device and the JDK's selector allow it. */
    static Optional<PacketSource> attach(PacketDevice device, EventLoop loop, int maxPacketBytes, int batchBytes) {
        OptionalInt epoll = SelectorDescriptor.epollOf(loop.selector());
        if (epoll.isEmpty() || !device.signalReadableThrough(epoll.getAsInt())) {
            return Optional.empty();
        }
        return Optional.of(new InlineTunReader(device, epoll.getAsInt(), maxPacketBytes, batchBytes));
    }

    @Override
    public void start() {
        // Nothing to start: the device is already in the selector's epoll set.
    }

    @Override
    public void drain(Receiver receiver) {
        for (int i = 0; i < BATCHES_PER_TURN && reading; i++) {
            boolean more = fill();
            batch.forEach(receiver);
            batch.clear();
            if (!more) {
                return;
            }
        }
    }

    @Override
    public void stop() {
        reading = false;
    }

    /** Reads what waits, up to a batch; true if the batch filled up and more may wait. */
    private boolean fill() {
        try {
            while (batch.hasRoomFor(maxPacketBytes)) {
                int length = device.read(batch.freeSpace(), 0);
                if (length == 0) {
                    return false;
                }
                if (length < 0) {
                    Log.verbose("the TUN device closed");
                    giveUp();
                    return false;
                }
                batch.added(length, device.lastReadChecksumTrusted());
            }
            return true;
        } catch (IOException e) {
            Log.error("reading the TUN device failed: %s", e.getMessage());
            giveUp();
            return false;
        }
    }

    /** A device that failed may stay readable for ever: out of the epoll set, so the loop does not spin. */
    private void giveUp() {
        reading = false;
        device.stopSignalling(epollFd);
    }
}
