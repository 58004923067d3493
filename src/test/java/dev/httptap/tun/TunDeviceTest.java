package dev.httptap.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TunDevice over one end of a unix datagram socketpair, which keeps packet boundaries as a TUN descriptor
 * does; the test plays the kernel on the other end.
 */
class TunDeviceTest {
    private static final byte[] PACKET = {0x45, 0, 0, 20, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 100, 10, 1, 1, 1};

    private final LibC libc = Native.libc();
    private int kernelSide;
    private TunDevice device;

    @BeforeEach
    void openPair() throws Exception {
        int[] pair = new int[2];
        assertEquals(0, libc.socketpair(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0, pair));
        kernelSide = pair[1];
        device = new TunDevice(pair[0]);
    }

    @AfterEach
    void closePair() {
        device.close();
        libc.close(kernelSide);
    }

    @Test
    void readsOnePacketAfterTheBuffersPosition() throws Exception {
        libc.write(kernelSide, PACKET, PACKET.length);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        buffer.position(10);

        assertEquals(PACKET.length, device.read(buffer, 1000));

        assertEquals(10 + PACKET.length, buffer.position());
        byte[] read = new byte[PACKET.length];
        buffer.get(10, read);
        assertArrayEquals(PACKET, read);
        assertEquals(new TunCounters(1, 0, 0, 0), device.counters());
    }

    @Test
    void readsPacketsOneAtATime() throws Exception {
        libc.write(kernelSide, PACKET, PACKET.length);
        libc.write(kernelSide, PACKET, 8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

        assertEquals(PACKET.length, device.read(buffer, 0));
        buffer.clear();
        assertEquals(8, device.read(buffer, 0));
    }

    @Test
    void nothingQueuedGivesZeroWithoutWaitingWhenTheTimeoutIsZero() throws Exception {
        assertEquals(0, device.read(ByteBuffer.allocateDirect(2048), 0));
    }

    @Test
    void nothingQueuedGivesZeroAfterTheTimeout() throws Exception {
        assertEquals(0, device.read(ByteBuffer.allocateDirect(2048), 1));
    }

    @Test
    void writesOnePacketFromPositionToLimitAndLeavesTheBufferAlone() {
        ByteBuffer packet = ByteBuffer.allocateDirect(64);
        packet.position(4);
        packet.put(PACKET);
        packet.flip().position(4);

        device.write(packet);

        assertEquals(4, packet.position());
        byte[] received = new byte[64];
        assertEquals(PACKET.length, libc.read(kernelSide, received, received.length));
        assertArrayEquals(PACKET, java.util.Arrays.copyOf(received, PACKET.length));
        assertEquals(new TunCounters(0, 1, 0, 0), device.counters());
    }

    @Test
    void aRefusedWriteIsDroppedAndCountedNotThrown() {
        libc.close(kernelSide); // the peer is gone: write(2) fails with ECONNREFUSED
        kernelSide = -1;

        device.write(ByteBuffer.wrap(PACKET));

        assertEquals(new TunCounters(0, 0, 1, 0), device.counters());
    }

    @Test
    void afterCloseReadsGiveMinusOneAndWritesAreDropped() throws Exception {
        device.close();

        assertEquals(-1, device.read(ByteBuffer.allocateDirect(2048), 1000));
        device.write(ByteBuffer.wrap(PACKET));
        assertEquals(1, device.counters().droppedWrites());
    }

    @Test
    void closeWakesAReaderWaitingWithoutTimeout() {
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return device.read(ByteBuffer.allocateDirect(2048), -1);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Whether close() lands before or during the wait, the reader must return -1 rather than hang.
        device.close();

        assertEquals(-1, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> reader.join()));
    }
}
