package dev.httptap.tun;

import dev.httptap.wire.PacketSummary.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link PacketDevice} that shows every packet passing through the device it wraps to a
 * {@link PacketObserver} ({@code --dump-tcp}'s lines, {@code --dump-pcap}'s capture): what the command sends
 * as the relay reads it (OUTGOING), what it receives as the relay writes it (INCOMING). The stack never
 * knows: it reads and writes as before, and without those options the device is not wrapped at all, so
 * observing costs nothing then. Packets are shown in place, never copied, and the caller's buffer positions
 * are left as the wrapped device leaves them, because the relay reuses its buffers.
 */
public final class ObservedDevice implements PacketDevice {
    private final PacketDevice device;
    private final PacketObserver observer;

    public ObservedDevice(PacketDevice device, PacketObserver observer) {
        this.device = device;
        this.observer = observer;
    }

    @Override
    public int read(ByteBuffer dst, int timeoutMillis) throws IOException {
        int start = dst.position();
        int length = device.read(dst, timeoutMillis);
        if (length > 0) {
            observer.onPacket(dst.duplicate().limit(start + length).position(start), Direction.OUTGOING);
        }
        return length;
    }

    @Override
    public void write(ByteBuffer packet) throws IOException {
        observer.onPacket(packet.duplicate(), Direction.INCOMING);
        device.write(packet);
    }

    @Override
    public boolean signalReadableThrough(int epollFd) {
        return device.signalReadableThrough(epollFd);
    }

    @Override
    public void stopSignalling(int epollFd) {
        device.stopSignalling(epollFd);
    }

    @Override
    public boolean lastReadChecksumTrusted() {
        return device.lastReadChecksumTrusted();
    }

    @Override
    public boolean completesTcpChecksums() {
        return device.completesTcpChecksums();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }
}
