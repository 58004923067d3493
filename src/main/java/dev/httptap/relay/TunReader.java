package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The thread that does nothing but read the device, for devices and JDKs where {@link InlineTunReader} cannot
 * work: it fills pooled {@link PacketBatch}es, reading more
 * packets without waiting while they keep coming, and hands each batch to the loop with one wakeup. The
 * pool is fixed, so when the loop falls behind the reader waits for a batch to come back (backpressure:
 * the kernel's TUN queue then holds or drops packets, as a slow NIC would) instead of growing memory.
 */
final class TunReader implements PacketSource, Runnable {
    /** How long one blocking step may take, so that {@link #stop} is noticed promptly. */
    static final int POLL_MILLIS = 100;

    private final PacketDevice device;
    private final int maxPacketBytes;
    private final Runnable onBatch;
    private final BlockingQueue<PacketBatch> free;
    private final BlockingQueue<PacketBatch> filled;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param batches how many batches exist; each holds {@code batchBytes} (at least one packet)
     * @param onBatch called after each batch is queued (the loop's coalescing wakeup)
     */
    TunReader(PacketDevice device, int maxPacketBytes, int batches, int batchBytes, Runnable onBatch) {
        this.device = device;
        this.maxPacketBytes = maxPacketBytes;
        this.onBatch = onBatch;
        this.free = new ArrayBlockingQueue<>(batches);
        this.filled = new ArrayBlockingQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            free.add(new PacketBatch(Math.max(batchBytes, maxPacketBytes)));
        }
        this.thread = new Thread(this, "httptap-tun-reader");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    /** Stops reading and waits for the thread (bounded); the device itself is not closed. */
    @Override
    public void stop() {
        running = false;
        try {
            thread.join(10L * POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void drain(Receiver receiver) {
        PacketBatch batch;
        while ((batch = filled.poll()) != null) {
            batch.forEach(receiver);
            batch.clear();
            free.add(batch);
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                PacketBatch batch = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    continue; // the loop still holds every batch
                }
                boolean open = fill(batch);
                if (batch.size() > 0) {
                    filled.add(batch);
                    onBatch.run();
                } else {
                    free.add(batch);
                }
                if (!open) {
                    Log.verbose("the TUN device closed");
                    return;
                }
            }
        } catch (IOException e) {
            if (running) {
                Log.error("reading the TUN device failed: %s", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for one packet, then takes whatever else is already waiting; false once the device closed. */
    private boolean fill(PacketBatch batch) throws IOException {
        int timeout = POLL_MILLIS;
        while (running && batch.hasRoomFor(maxPacketBytes)) {
            ByteBuffer space = batch.freeSpace();
            int length = device.read(space, timeout);
            if (length < 0) {
                return false;
            }
            if (length == 0) {
                return true;
            }
            batch.added(length, device.lastReadChecksumTrusted());
            timeout = 0;
        }
        return true;
    }
}
