package dev.httptap.stack;

import dev.httptap.wire.IcmpPacket;
import dev.httptap.wire.IpPacket;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.IpVersion;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.Ipv6Packet;
import dev.httptap.wire.MalformedPacketException;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;
import dev.httptap.wire.UdpDatagram;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A packet the stack emitted, parsed (and its checksums verified) so tests can match on fields. Exactly one
 * of the transport views is set; {@code icmp} for ICMPv4, {@code icmpv6} for ICMPv6.
 */
record SentPacket(IpPacket ip, TcpSegment tcp, UdpDatagram udp, IcmpPacket icmp, IcmpPacket icmpv6) {
    static SentPacket parse(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            IpPacket ip = IpVersion.ofFirstByte(bytes[0]) == IpVersion.V6
                    ? Ipv6Packet.parse(buffer) : Ipv4Packet.parse(buffer);
            IpProtocol protocol = ip.protocol();
            if (protocol.equals(IpProtocol.TCP)) {
                TcpSegment tcp = TcpSegment.parse(ip);
                tcp.verifyChecksum(ip.pseudoHeaderSum());
                return new SentPacket(ip, tcp, null, null, null);
            }
            if (protocol.equals(IpProtocol.UDP)) {
                UdpDatagram udp = UdpDatagram.parse(ip);
                udp.verifyChecksum(ip.pseudoHeaderSum());
                return new SentPacket(ip, null, udp, null, null);
            }
            if (ip instanceof Ipv6Packet v6) {
                return new SentPacket(ip, null, null, null, IcmpPacket.parse(v6));
            }
            return new SentPacket(ip, null, null, IcmpPacket.parse((Ipv4Packet) ip), null);
        } catch (MalformedPacketException e) {
            throw new AssertionError("the stack emitted a malformed packet: " + e.getMessage(), e);
        }
    }

    int flags() {
        return tcp.flags();
    }

    int seq() {
        return tcp.sequence();
    }

    int ack() {
        return tcp.acknowledgment();
    }

    int window() {
        return tcp.window();
    }

    TcpOptions options() {
        return tcp.options();
    }

    int length() {
        return tcp.payloadLength();
    }

    byte[] payload() {
        byte[] bytes = new byte[tcp.payloadLength()];
        tcp.buffer().get(tcp.payloadOffset(), bytes);
        return bytes;
    }

    String text() {
        return new String(payload(), StandardCharsets.ISO_8859_1);
    }

    boolean is(int expectedFlags) {
        return tcp != null && tcp.flags() == expectedFlags;
    }

    @Override
    public String toString() {
        if (tcp != null) {
            return ip.source() + " " + tcp;
        }
        return ip.source() + " -> " + ip.destination() + " " + ip.protocol();
    }
}
