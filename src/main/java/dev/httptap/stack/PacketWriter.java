package dev.httptap.stack;

import dev.httptap.wire.Icmpv4Header;
import dev.httptap.wire.IpAddress;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.UdpHeader;
import java.nio.ByteBuffer;

/**
 * Builds every packet the stack emits in one reusable buffer and hands it to the {@link PacketOutput},
 * which copies it. Payload bytes are copied straight from their queue into place, then the headers are
 * written around them with their checksums.
 */
final class PacketWriter {
    private final ByteBuffer buffer;
    private final PacketOutput output;
    private final StackStats.Counters counters;
    private int nextIdentification;

    PacketWriter(int mtu, PacketOutput output, StackStats.Counters counters) {
        this.buffer = ByteBuffer.allocateDirect(mtu);
        this.output = output;
        this.counters = counters;
    }

    /** Largest IP packet this writer emits. */
    int mtu() {
        return buffer.capacity();
    }

    /** A TCP segment whose payload is {@code dataLength} bytes at {@code dataOffset} of {@code data}. */
    void sendTcp(IpAddress from, IpAddress to, TcpHeader tcp, SendQueue data, int dataOffset, int dataLength) {
        Ipv4Header ip = ipv4(from, to, IpProtocol.TCP, tcp.length() + dataLength);
        if (dataLength > 0) {
            data.copyTo(dataOffset, buffer, Ipv4Header.LENGTH + tcp.length(), dataLength);
        }
        tcp.emit(buffer, Ipv4Header.LENGTH, ip.pseudoHeaderSum(), dataLength);
        send(ip);
    }

    /** A UDP datagram carrying {@code payload} from its position to its limit (the position is kept). */
    void sendUdp(IpAddress from, int fromPort, IpAddress to, int toPort, ByteBuffer payload) {
        UdpHeader udp = new UdpHeader(fromPort, toPort, payload.remaining());
        Ipv4Header ip = ipv4(from, to, IpProtocol.UDP, udp.length());
        buffer.put(Ipv4Header.LENGTH + 8, payload, payload.position(), payload.remaining());
        udp.emit(buffer, Ipv4Header.LENGTH, ip.pseudoHeaderSum());
        send(ip);
    }

    /** An ICMP message whose body is {@code length} bytes at absolute {@code offset} of {@code body}. */
    void sendIcmp(IpAddress from, IpAddress to, Icmpv4Header icmp, ByteBuffer body, int offset, int length) {
        Ipv4Header ip = ipv4(from, to, IpProtocol.ICMP, Icmpv4Header.LENGTH + length);
        buffer.put(Ipv4Header.LENGTH + Icmpv4Header.LENGTH, body, offset, length);
        icmp.emit(buffer, Ipv4Header.LENGTH, length);
        send(ip);
    }

    /** IPv4 only for now; an IPv6 header will be chosen here by the addresses' version. */
    private Ipv4Header ipv4(IpAddress from, IpAddress to, IpProtocol protocol, int payloadLength) {
        return new Ipv4Header((Ipv4Address) from, (Ipv4Address) to, protocol, payloadLength,
                Ipv4Header.DEFAULT_TTL, nextIdentification++ & 0xFFFF);
    }

    private void send(Ipv4Header ip) {
        ip.emit(buffer, 0);
        buffer.limit(ip.totalLength()).position(0);
        counters.packetsOut++;
        counters.bytesOut += ip.totalLength();
        output.send(buffer);
        buffer.clear();
    }
}
