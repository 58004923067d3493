package dev.httptap.relay;

import java.nio.ByteBuffer;

/**
 * Packets read from the device back to back in one direct buffer, so the reader hands the loop many
 * packets with one queue operation and one wakeup. Reused: the loop gives it back once the stack is done.
 */
final class PacketBatch {
    static final int MAX_PACKETS = 256;

    private final ByteBuffer bytes;
    private final ByteBuffer packetView;
    private final int[] ends = new int[MAX_PACKETS];
    private final boolean[] checksumsTrusted = new boolean[MAX_PACKETS];
    private int count;

    PacketBatch(int capacityBytes) {
        bytes = ByteBuffer.allocateDirect(capacityBytes);
        packetView = bytes.duplicate();
    }

    /** True if a packet of up to {@code maxPacketBytes} still fits. */
    boolean hasRoomFor(int maxPacketBytes) {
        return count < MAX_PACKETS && bytes.capacity() - end() >= maxPacketBytes;
    }

    /** The free space, positioned where the next packet goes; pass what was read to {@link #added}. */
    ByteBuffer freeSpace() {
        bytes.limit(bytes.capacity()).position(end());
        return bytes;
    }

    /** {@code checksumTrusted}: what the device said of the packet's checksum. */
    void added(int length, boolean checksumTrusted) {
        ends[count] = end() + length;
        checksumsTrusted[count] = checksumTrusted;
        count++;
    }

    int size() {
        return count;
    }

    void clear() {
        count = 0;
    }

    /** Hands each packet to {@code receiver} as one reused buffer positioned on it. */
    void forEach(PacketSource.Receiver receiver) {
        int start = 0;
        for (int i = 0; i < count; i++) {
            packetView.limit(ends[i]).position(start);
            receiver.receive(packetView, checksumsTrusted[i]);
            start = ends[i];
        }
    }

    private int end() {
        return count == 0 ? 0 : ends[count - 1];
    }
}
