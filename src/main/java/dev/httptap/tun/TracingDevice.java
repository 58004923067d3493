package dev.httptap.tun;

import dev.httptap.wire.PacketSummary;
import dev.httptap.wire.PacketSummary.Direction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * A {@link PacketDevice} that prints a line for every TCP packet passing through the device it wraps
 * ({@code --dump-tcp}), see {@link PacketSummary}. The stack never knows: it reads and writes as before.
 * Packets are described in place, never copied, and the caller's buffer positions are left as the wrapped
 * device leaves them, because the relay reuses its buffers. Each line is written whole under the stream's
 * lock, the lock the exchange printers take, so lines never interleave mid-line.
 */
public final class TracingDevice implements PacketDevice {
    private final PacketDevice device;
    private final PrintStream out;

    public TracingDevice(PacketDevice device, PrintStream out) {
        this.device = device;
        this.out = out;
    }

    @Override
    public int read(ByteBuffer dst, int timeoutMillis) throws IOException {
        int start = dst.position();
        int length = device.read(dst, timeoutMillis);
        if (length > 0) {
            trace(dst, start, length, Direction.OUTGOING);
        }
        return length;
    }

    @Override
    public void write(ByteBuffer packet) throws IOException {
        trace(packet, packet.position(), packet.remaining(), Direction.INCOMING);
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
    public boolean completesTcpChecksums() {
        return device.completesTcpChecksums();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }

    private void trace(ByteBuffer buffer, int start, int length, Direction direction) {
        PacketSummary.describeTcp(buffer, start, length, direction).ifPresent(line -> {
            synchronized (out) {
                out.print(line + "\n");
                out.flush();
            }
        });
    }
}
