package dev.httptap.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TunDevice over one end of a unix datagram socketpair, which keeps packet boundaries as a TUN descriptor
 * does; the test plays the kernel on the other end, virtio-net header included.
 */
class TunDeviceTest {
    /** IPv4 + UDP, checksums complete. */
    private static final byte[] UDP_PACKET = {0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 1, 1, 100, 10, 1, 1, 1,
            0, 53, 0, 53, 0, 8, 0, 0};
    private static final byte[] NO_OFFLOAD = new byte[VirtioNetHeader.LENGTH];

    private final LibC libc = Native.libc();
    private int kernelSide;
    private TunDevice device;

    @BeforeEach
    void openPair() throws Exception {
        int[] pair = new int[2];
        assertEquals(0, Native.processes().socketpair(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0, pair));
        kernelSide = pair[1];
        device = new TunDevice(pair[0]);
    }

    @AfterEach
    void closePair() {
        device.close();
        libc.close(kernelSide);
    }

    @Test
    void readsOnePacketAfterTheBuffersPositionWithoutItsHeader() throws Exception {
        kernelSends(UDP_PACKET);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        buffer.position(10);

        assertEquals(UDP_PACKET.length, device.read(buffer, 1000));

        assertEquals(10 + UDP_PACKET.length, buffer.position());
        byte[] read = new byte[UDP_PACKET.length];
        buffer.get(10, read);
        assertArrayEquals(UDP_PACKET, read);
        assertEquals(new TunCounters(1, 0, 0, 0), device.counters());
    }

    @Test
    void readsPacketsOneAtATime() throws Exception {
        kernelSends(UDP_PACKET);
        kernelSends(Arrays.copyOf(UDP_PACKET, 8));
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

        assertEquals(UDP_PACKET.length, device.read(buffer, 0));
        buffer.clear();
        assertEquals(8, device.read(buffer, 0));
    }

    /** The kernel's own packets come marked NEEDS_CSUM or DATA_VALID; a forged one comes with neither. */
    @Test
    void saysOfEachPacketReadWhetherTheKernelVouchesForItsChecksum() throws Exception {
        ByteBuffer dataValid = ByteBuffer.allocate(VirtioNetHeader.LENGTH).put(0, (byte) 2);
        libc.write(kernelSide, frame(needsChecksum(20), UDP_PACKET), VirtioNetHeader.LENGTH + UDP_PACKET.length);
        kernelSends(UDP_PACKET);
        libc.write(kernelSide, frame(dataValid.array(), UDP_PACKET), VirtioNetHeader.LENGTH + UDP_PACKET.length);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);

        List<Boolean> trusted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            buffer.clear();
            assertEquals(UDP_PACKET.length, device.read(buffer, 0));
            trusted.add(device.lastReadChecksumTrusted());
        }

        assertEquals(List.of(true, false, true), trusted);
    }

    @Test
    void aFrameShorterThanTheHeaderIsAnError() {
        libc.write(kernelSide, new byte[4], 4);

        assertThrows(IOException.class, () -> device.read(ByteBuffer.allocateDirect(2048), 0));
        assertEquals(1, device.counters().readErrors());
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
    void writesOnePacketFromPositionToLimitAfterAnEmptyHeaderAndLeavesTheBufferAlone() {
        ByteBuffer packet = ByteBuffer.allocateDirect(64);
        packet.position(4);
        packet.put(UDP_PACKET);
        packet.flip().position(4);

        device.write(packet);

        assertEquals(4, packet.position());
        assertArrayEquals(frame(NO_OFFLOAD, UDP_PACKET), kernelReceives());
        assertEquals(new TunCounters(0, 1, 0, 0), device.counters());
    }

    @Test
    void tcpOverIpv4GoesOutWithItsChecksumLeftToTheKernel() {
        byte[] segment = new byte[20 + 24];
        segment[0] = 0x46; // IHL 6: a 24-byte IPv4 header, so the TCP header starts at 24
        segment[9] = 6;

        device.write(direct(segment));

        assertArrayEquals(frame(needsChecksum(24), segment), kernelReceives());
    }

    @Test
    void tcpOverIpv6GoesOutWithItsChecksumLeftToTheKernel() {
        byte[] segment = new byte[40 + 20];
        segment[0] = 0x60;
        segment[6] = 6;

        device.write(direct(segment));

        assertArrayEquals(frame(needsChecksum(40), segment), kernelReceives());
    }

    @Test
    void heapBuffersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> device.write(ByteBuffer.wrap(UDP_PACKET)));
    }

    @Test
    void aRefusedWriteIsDroppedAndCountedNotThrown() {
        libc.close(kernelSide); // the peer is gone: writev(2) fails with ECONNREFUSED
        kernelSide = -1;

        device.write(direct(UDP_PACKET));

        assertEquals(new TunCounters(0, 0, 1, 0), device.counters());
    }

    @Test
    void afterCloseReadsGiveMinusOneAndWritesAreDropped() throws Exception {
        device.close();

        assertEquals(-1, device.read(ByteBuffer.allocateDirect(2048), 1000));
        device.write(direct(UDP_PACKET));
        assertEquals(1, device.counters().droppedWrites());
    }

    @Test
    void closeWakesAReaderWaitingWithoutTimeout() {
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return device.read(ByteBuffer.allocateDirect(2048), -1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Whether close() lands before or during the wait, the reader must return -1 rather than hang.
        device.close();

        assertEquals(-1, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> reader.join()));
    }

    private void kernelSends(byte[] packet) {
        byte[] frame = frame(NO_OFFLOAD, packet);
        assertEquals(frame.length, libc.write(kernelSide, frame, frame.length));
    }

    private byte[] kernelReceives() {
        byte[] received = new byte[4096];
        long length = libc.read(kernelSide, received, received.length);
        return Arrays.copyOf(received, (int) length);
    }

    /** flags NEEDS_CSUM, no segmentation, csum_start as given, csum_offset 16 (TCP's checksum field). */
    private static byte[] needsChecksum(int tcpStart) {
        ByteBuffer header = ByteBuffer.allocate(VirtioNetHeader.LENGTH).order(ByteOrder.nativeOrder());
        header.put(0, (byte) 1).putShort(6, (short) tcpStart).putShort(8, (short) 16);
        return header.array();
    }

    private static byte[] frame(byte[] header, byte[] packet) {
        byte[] frame = Arrays.copyOf(header, header.length + packet.length);
        System.arraycopy(packet, 0, frame, header.length, packet.length);
        return frame;
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
