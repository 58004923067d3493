package dev.httptap.stack;

import dev.httptap.wire.Icmpv4Header;
import dev.httptap.wire.Icmpv4Packet;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.MalformedPacketException;

/** Answers echo requests to any address, so ping works as if every host were up. */
final class IcmpResponder {
    private final PacketWriter writer;
    private final StackStats.Counters counters;

    IcmpResponder(PacketWriter writer, StackStats.Counters counters) {
        this.writer = writer;
        this.counters = counters;
    }

    void receive(Ipv4Packet ip) throws MalformedPacketException {
        Icmpv4Packet icmp = Icmpv4Packet.parse(ip);
        if (icmp.type() != Icmpv4Packet.TYPE_ECHO_REQUEST || icmp.code() != 0) {
            counters.drop(DropReason.ICMP_IGNORED);
            return;
        }
        Icmpv4Header reply = new Icmpv4Header(Icmpv4Packet.TYPE_ECHO_REPLY, 0, icmp.restOfHeader());
        writer.sendIcmp(ip.destination(), ip.source(), reply, icmp.buffer(), icmp.payloadOffset(),
                icmp.payloadLength());
    }
}
