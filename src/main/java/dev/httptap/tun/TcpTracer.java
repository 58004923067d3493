package dev.httptap.tun;

import dev.httptap.wire.PacketSummary;
import dev.httptap.wire.PacketSummary.Direction;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * Prints a line for every TCP packet to and from the command ({@code --dump-tcp}), see {@link PacketSummary}.
 * Each line is written whole under the stream's lock, the lock the exchange printers take, so lines never
 * interleave mid-line.
 */
public final class TcpTracer implements PacketObserver {
    private final PrintStream out;

    public TcpTracer(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onPacket(ByteBuffer packet, Direction direction) {
        PacketSummary.describeTcp(packet, packet.position(), packet.remaining(), direction).ifPresent(line -> {
            synchronized (out) {
                out.print(line + "\n");
                out.flush();
            }
        });
    }
}
