package dev.httptap.wire;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One tcpdump-like line for a TCP packet, for {@code --dump-tcp}:
 * <pre>
 * tcp 10.1.1.100:46660 &gt; 169.254.77.65:8000 [S] seq 123 win 64240 mss 65480 sackOK TS val 1 ecr 0 wscale 7 len 0
 * tcp 10.1.1.100:46660 &lt; 169.254.77.65:8000 [S.] seq 900 ack 124 win 65535 mss 1460 wscale 7 len 0
 * </pre>
 * The endpoint on the device's far side (the host whose packets the device reads) is always on the left, so
 * the lines of one connection line up; the arrow says which way the packet went. Sequence and
 * acknowledgment numbers are absolute (no per-connection state to keep), the window is the raw field (not
 * scaled), flags are tcpdump's letters ({@code .} for ACK), options are shown on SYNs only, and {@code len}
 * is the payload length. A packet that cannot be read gives {@code tcp > malformed: reason (N bytes)}.
 */
public final class PacketSummary {
    /** Which way a packet crossed the device. */
    public enum Direction {
        /** Read from the device: sent by the host on its far side. */
        OUTGOING(">"),
        /** Written to the device: on its way to that host. */
        INCOMING("<");

        private final String arrow;

        Direction(String arrow) {
            this.arrow = arrow;
        }
    }

    /** tcpdump's letters, in tcpdump's order: ACK is last, as a dot. */
    private static final int[] FLAG_BITS = {TcpFlags.FIN, TcpFlags.SYN, TcpFlags.RST, TcpFlags.PSH,
            TcpFlags.URG, TcpFlags.ECE, TcpFlags.CWR, TcpFlags.ACK};
    private static final String FLAG_LETTERS = "FSRPUEW.";

    private PacketSummary() {}

    /**
     * Describes the {@code length} bytes at absolute index {@code start} of {@code buffer}; empty when they
     * hold a well-formed packet that is not TCP. Never throws for any bytes in range, and leaves the
     * buffer's position and limit alone.
     */
    public static Optional<String> describeTcp(ByteBuffer buffer, int start, int length, Direction direction) {
        ByteBuffer view = buffer.duplicate();
        view.limit(start + length).position(start);
        try {
            IpPacket ip = parseIp(view);
            if (!ip.protocol().equals(IpProtocol.TCP)) {
                return Optional.empty();
            }
            if (ip.isFragment()) {
                return Optional.of("tcp " + ip.source() + " " + direction.arrow + " " + ip.destination()
                        + " fragment (not reassembled) len " + ip.payloadLength());
            }
            return Optional.of(describe(ip, TcpSegment.parse(ip), direction));
        } catch (MalformedPacketException e) {
            return Optional.of("tcp " + direction.arrow + " malformed: " + e.getMessage() + " (" + length + " bytes)");
        }
    }

    private static IpPacket parseIp(ByteBuffer view) throws MalformedPacketException {
        IpVersion version = view.hasRemaining() ? IpVersion.ofFirstByte(view.get(view.position()) & 0xFF) : null;
        if (version == null) {
            throw new MalformedPacketException(Malformation.BAD_VERSION, "IP");
        }
        return version == IpVersion.V6 ? Ipv6Packet.parse(view) : Ipv4Packet.parse(view);
    }

    private static String describe(IpPacket ip, TcpSegment tcp, Direction direction) {
        boolean outgoing = direction == Direction.OUTGOING;
        String source = ip.source().withPort(tcp.sourcePort());
        String destination = ip.destination().withPort(tcp.destinationPort());
        StringBuilder line = new StringBuilder("tcp ")
                .append(outgoing ? source : destination).append(' ').append(direction.arrow).append(' ')
                .append(outgoing ? destination : source)
                .append(" [").append(flagLetters(tcp.flags())).append("] seq ")
                .append(Integer.toUnsignedString(tcp.sequence()));
        if (tcp.has(TcpFlags.ACK)) {
            line.append(" ack ").append(Integer.toUnsignedString(tcp.acknowledgment()));
        }
        line.append(" win ").append(tcp.window());
        if (tcp.has(TcpFlags.SYN)) {
            appendOptions(line, tcp.options());
        }
        return line.append(" len ").append(tcp.payloadLength()).toString();
    }

    private static String flagLetters(int flags) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((flags & FLAG_BITS[i]) != 0) {
                letters.append(FLAG_LETTERS.charAt(i));
            }
        }
        return letters.length() == 0 ? "none" : letters.toString();
    }

    private static void appendOptions(StringBuilder line, TcpOptions options) {
        if (options.mss() != TcpOptions.NO_MSS) {
            line.append(" mss ").append(options.mss());
        }
        if (options.sackPermitted()) {
            line.append(" sackOK");
        }
        if (options.timestamps()) {
            line.append(" TS val ").append(Integer.toUnsignedString(options.timestampValue()))
                    .append(" ecr ").append(Integer.toUnsignedString(options.timestampEcho()));
        }
        if (options.windowScale() != TcpOptions.NO_WINDOW_SCALE) {
            line.append(" wscale ").append(options.windowScale());
        }
    }
}
