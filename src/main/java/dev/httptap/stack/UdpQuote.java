package dev.httptap.stack;

import dev.httptap.wire.Icmpv6;
import dev.httptap.wire.IpAddress;
import dev.httptap.wire.IpHeader;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.Ipv6Header;
import dev.httptap.wire.UdpHeader;
import java.nio.ByteBuffer;

/**
 * The start of a child's UDP datagram as an ICMP error quotes it: the datagram is rebuilt from its flow and
 * payload (IP header, UDP header with its checksum, payload), then cut where Linux cuts its own quotes, so
 * the whole ICMP message fits in 576 bytes (RFC 1812 section 4.3.2.3), or for ICMPv6 in the minimum IPv6
 * MTU (RFC 4443 section 2.4).
 */
final class UdpQuote {
    static final int MAX_LENGTH = 576 - Ipv4Header.LENGTH - 8;
    static final int MAX_V6_LENGTH = Icmpv6.MINIMUM_MTU - Ipv6Header.LENGTH - 8;

    private UdpQuote() {}

    /** The quote of a datagram from {@code client} to {@code server} carrying {@code payload} (not moved). */
    static ByteBuffer of(IpAddress client, int clientPort, IpAddress server, int serverPort, ByteBuffer payload) {
        UdpHeader udp = new UdpHeader(clientPort, serverPort, payload.remaining());
        IpHeader ip = PacketWriter.ipHeader(client, server, IpProtocol.UDP, udp.length(), 0);
        ByteBuffer datagram = ByteBuffer.allocate(ip.totalLength());
        datagram.put(ip.length() + 8, payload, payload.position(), payload.remaining());
        udp.emit(datagram, ip.length(), ip.pseudoHeaderSum());
        ip.emit(datagram, 0);
        int limit = client instanceof Ipv4Address ? MAX_LENGTH : MAX_V6_LENGTH;
        return datagram.limit(Math.min(datagram.capacity(), limit));
    }
}
