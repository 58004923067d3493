package dev.httptap.stack;

import dev.httptap.wire.Icmpv4Header;
import dev.httptap.wire.Icmpv6Header;
import dev.httptap.wire.IpAddress;
import dev.httptap.wire.IpHeader;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.Ipv6Address;
import dev.httptap.wire.Ipv6Header;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.UdpHeader;
import java.nio.ByteBuffer;

/**
 * Builds every packet the stack emits in one reusable buffer and hands it to the {@link PacketOutput},
 * which copies it. Payload bytes are copied straight from their queue into place, then the headers are
 * written around them with their checksums. The IP version follows the addresses: both ends of a packet
 * always have the same version, as they come from one packet or one connection of the child.
 */
final class PacketWriter {
    /** Eight bytes in both versions: type, code, checksum and the type-specific word. */
    private static final int ICMP_HEADER_LENGTH = Icmpv4Header.LENGTH;

    private final ByteBuffer buffer;
    private final PacketOutput output;
    private final boolean partialTcpChecksums;
    private final StackStats.Counters counters;
    private int nextIdentification;

    PacketWriter(int mtu, PacketOutput output, StackStats.Counters counters) {
        this.buffer = ByteBuffer.allocateDirect(mtu);
        this.output = output;
        this.partialTcpChecksums = output.completesTcpChecksums();
        this.counters = counters;
    }

    /** Largest IP packet this writer emits. */
    int mtu() {
        return buffer.capacity();
    }

    /** A TCP segment whose payload is {@code dataLength} bytes at {@code dataOffset} of {@code data}. */
    void sendTcp(IpAddress from, IpAddress to, TcpHeader tcp, SendQueue data, int dataOffset, int dataLength) {
        IpHeader ip = ipHeader(from, to, IpProtocol.TCP, tcp.length() + dataLength);
        if (dataLength > 0) {
            data.copyTo(dataOffset, buffer, ip.length() + tcp.length(), dataLength);
        }
        if (partialTcpChecksums) {
            tcp.emitWithPartialChecksum(buffer, ip.length(), ip.pseudoHeaderSum());
        } else {
            tcp.emit(buffer, ip.length(), ip.pseudoHeaderSum(), dataLength);
        }
        send(ip);
    }

    /** A UDP datagram carrying {@code payload} from its position to its limit (the position is kept). */
    void sendUdp(IpAddress from, int fromPort, IpAddress to, int toPort, ByteBuffer payload) {
        UdpHeader udp = new UdpHeader(fromPort, toPort, payload.remaining());
        IpHeader ip = ipHeader(from, to, IpProtocol.UDP, udp.length());
        buffer.put(ip.length() + 8, payload, payload.position(), payload.remaining());
        udp.emit(buffer, ip.length(), ip.pseudoHeaderSum());
        send(ip);
    }

    /**
     * An ICMP or ICMPv6 message, by the version of the addresses, whose body is {@code length} bytes at
     * absolute {@code offset} of {@code body}; {@code restOfHeader} is the type-specific word.
     */
    void sendIcmp(IpAddress from, IpAddress to, IcmpMessage message, int restOfHeader, ByteBuffer body, int offset,
                  int length) {
        boolean v4 = from instanceof Ipv4Address;
        IpHeader ip = ipHeader(from, to, v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6, ICMP_HEADER_LENGTH + length);
        buffer.put(ip.length() + ICMP_HEADER_LENGTH, body, offset, length);
        if (v4) {
            new Icmpv4Header(message.v4Type, message.v4Code, restOfHeader).emit(buffer, ip.length(), length);
        } else {
            new Icmpv6Header(message.v6Type, message.v6Code, restOfHeader)
                    .emit(buffer, ip.length(), length, ip.pseudoHeaderSum());
        }
        send(ip);
    }

    private IpHeader ipHeader(IpAddress from, IpAddress to, IpProtocol protocol, int payloadLength) {
        return ipHeader(from, to, protocol, payloadLength, nextIdentification++ & 0xFFFF);
    }

    /** The header of a packet between two addresses of one version; {@code identification} is IPv4's. */
    static IpHeader ipHeader(IpAddress from, IpAddress to, IpProtocol protocol, int payloadLength, int identification) {
        if (from instanceof Ipv6Address source) {
            return new Ipv6Header(source, (Ipv6Address) to, protocol, payloadLength, Ipv6Header.DEFAULT_HOP_LIMIT);
        }
        return new Ipv4Header((Ipv4Address) from, (Ipv4Address) to, protocol, payloadLength,
                Ipv4Header.DEFAULT_TTL, identification);
    }

    private void send(IpHeader ip) {
        ip.emit(buffer, 0);
        buffer.limit(ip.totalLength()).position(0);
        counters.packetsOut++;
        counters.bytesOut += ip.totalLength();
        output.send(buffer);
        buffer.clear();
    }
}
