package dev.httptap.stack;

import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.UdpHeader;
import java.nio.ByteBuffer;

/**
 * The start of a child's UDP datagram as an ICMP error quotes it: the datagram is rebuilt from its flow and
 * payload (IP header, UDP header with its checksum, payload), then cut where Linux cuts its own quotes, so
 * the whole ICMP message fits in 576 bytes (RFC 1812 section 4.3.2.3).
 */
final class UdpQuote {
    static final int MAX_LENGTH = 576 - Ipv4Header.LENGTH - 8;

    private UdpQuote() {}

    /** The quote of a datagram from {@code client} to {@code server} carrying {@code payload} (not moved). */
    static ByteBuffer of(Ipv4Address client, int clientPort, Ipv4Address server, int serverPort,
            ByteBuffer payload) {
        UdpHeader udp = new UdpHeader(clientPort, serverPort, payload.remaining());
        Ipv4Header ip = new Ipv4Header(client, server, IpProtocol.UDP, udp.length(), Ipv4Header.DEFAULT_TTL, 0);
        ByteBuffer datagram = ByteBuffer.allocate(ip.totalLength());
        datagram.put(Ipv4Header.LENGTH + 8, payload, payload.position(), payload.remaining());
        udp.emit(datagram, Ipv4Header.LENGTH, ip.pseudoHeaderSum());
        ip.emit(datagram, 0);
        return datagram.limit(Math.min(datagram.capacity(), MAX_LENGTH));
    }
}
