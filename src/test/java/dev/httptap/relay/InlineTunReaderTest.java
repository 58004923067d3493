package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class InlineTunReaderTest {
    private static final int EPOLL_FD = 42;
    private static final int MTU = 100;

    private final ScriptedDevice device = new ScriptedDevice();
    private final List<String> received = new ArrayList<>();

    @Test
    void handsOverEveryWaitingPacketInOrderAndStopsAtTheFirstEmptyRead() {
        device.packets("a", "bb", "ccc");
        InlineTunReader reader = new InlineTunReader(device, EPOLL_FD, MTU, 64 * 1024);

        reader.drain(this::record);

        assertEquals(List.of("a", "bb", "ccc"), received);
        assertEquals(4, device.reads, "three packets, then the read that found none");
    }

    @Test
    void readsAtMostItsShareOfBatchesPerTurnAndTheRestNextTurn() {
        int packets = InlineTunReader.BATCHES_PER_TURN + 2;
        for (int i = 0; i < packets; i++) {
            device.packets("p" + i);
        }
        // A batch that holds one packet of the MTU: each packet fills a batch.
        InlineTunReader reader = new InlineTunReader(device, EPOLL_FD, MTU, MTU);

        reader.drain(this::record);
        assertEquals(InlineTunReader.BATCHES_PER_TURN, received.size());

        reader.drain(this::record);
        assertEquals(packets, received.size());
        assertEquals("p" + (packets - 1), received.get(packets - 1));
    }

    @Test
    void aClosedDeviceLeavesTheEpollSetAndIsNotReadAgain() {
        device.packets("last");
        device.script.add(Step.CLOSED);
        device.packets("never");
        InlineTunReader reader = new InlineTunReader(device, EPOLL_FD, MTU, 64 * 1024);

        reader.drain(this::record);
        reader.drain(this::record);

        assertEquals(List.of("last"), received);
        assertEquals(List.of(EPOLL_FD), device.stoppedSignalling);
        assertEquals(2, device.reads);
    }

    @Test
    void aFailingDeviceLeavesTheEpollSetSoTheLoopCannotSpinOnIt() {
        device.script.add(Step.FAILURE);
        device.packets("never");
        InlineTunReader reader = new InlineTunReader(device, EPOLL_FD, MTU, 64 * 1024);

        reader.drain(this::record);
        reader.drain(this::record);

        assertEquals(List.of(), received);
        assertEquals(List.of(EPOLL_FD), device.stoppedSignalling);
        assertEquals(1, device.reads);
    }

    @Test
    void eachPacketKeepsWhatTheDeviceSaidOfItsChecksum() {
        device.packets("a");
        device.script.add(new Step("b", true));
        device.packets("c");
        InlineTunReader reader = new InlineTunReader(device, EPOLL_FD, MTU, 64 * 1024);

        reader.drain(this::record);

        assertEquals(List.of("a", "b (checksum trusted)", "c"), received);
    }

    private void record(ByteBuffer packet, boolean checksumTrusted) {
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        received.add(new String(bytes, java.nio.charset.StandardCharsets.US_ASCII)
                + (checksumTrusted ? " (checksum trusted)" : ""));
    }

    private record Step(String packet, boolean checksumTrusted) {
        static final Step CLOSED = new Step(null, false);
        static final Step FAILURE = new Step("", false);
    }

    /** Returns the scripted steps in order, then "nothing waiting"; never blocks. */
    private static final class ScriptedDevice implements PacketDevice {
        final Deque<Step> script = new ArrayDeque<>();
        final List<Integer> stoppedSignalling = new ArrayList<>();
        int reads;
        boolean lastTrusted;

        void packets(String... texts) {
            for (String text : texts) {
                script.add(new Step(text, false));
            }
        }

        @Override
        public int read(ByteBuffer dst, int timeoutMillis) throws IOException {
            assertEquals(0, timeoutMillis, "the loop's reads never wait");
            reads++;
            Step step = script.poll();
            if (step == null) {
                return 0;
            }
            if (step == Step.CLOSED) {
                return -1;
            }
            if (step == Step.FAILURE) {
                throw new IOException("cannot read from the TUN device: File descriptor in bad state");
            }
            byte[] bytes = step.packet().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            dst.put(bytes);
            lastTrusted = step.checksumTrusted();
            return bytes.length;
        }

        @Override
        public boolean lastReadChecksumTrusted() {
            return lastTrusted;
        }

        @Override
        public void write(ByteBuffer packet) {}

        @Override
        public void stopSignalling(int epollFd) {
            stoppedSignalling.add(epollFd);
        }

        @Override
        public void close() {}
    }
}
