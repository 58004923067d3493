package dev.httptap.stack;

import dev.httptap.wire.IcmpPacket;
import dev.httptap.wire.Icmpv4;
import dev.httptap.wire.Icmpv6;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.Ipv6Packet;
import dev.httptap.wire.MalformedPacketException;

/**
 * Answers echo requests to any address, so ping works as if every host were up. Other ICMP messages
 * (including the kernel's IPv6 multicast listener reports) are counted and ignored.
 */
final class IcmpResponder {
    private final PacketWriter writer;
    private final StackStats.Counters counters;

    IcmpResponder(PacketWriter writer, StackStats.Counters counters) {
        this.writer = writer;
        this.counters = counters;
    }

    void receive(Ipv4Packet ip) throws MalformedPacketException {
        IcmpPacket icmp = IcmpPacket.parse(ip);
        if (icmp.type() != Icmpv4.TYPE_ECHO_REQUEST || icmp.code() != 0) {
            counters.drop(DropReason.ICMP_IGNORED);
            return;
        }
        writer.sendIcmp(ip.destination(), ip.source(), IcmpMessage.ECHO_REPLY, icmp.restOfHeader(), icmp.buffer(),
                icmp.payloadOffset(), icmp.payloadLength());
    }

    /** An echo request to a multicast group is ignored: a reply must come from a unicast address. */
    void receive(Ipv6Packet ip) throws MalformedPacketException {
        IcmpPacket icmp = IcmpPacket.parse(ip);
        if (icmp.type() != Icmpv6.TYPE_ECHO_REQUEST || icmp.code() != 0 || ip.destination().isMulticast()) {
            counters.drop(DropReason.ICMP_IGNORED);
            return;
        }
        writer.sendIcmp(ip.destination(), ip.source(), IcmpMessage.ECHO_REPLY, icmp.restOfHeader(), icmp.buffer(),
                icmp.payloadOffset(), icmp.payloadLength());
    }
}
