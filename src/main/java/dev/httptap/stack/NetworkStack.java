package dev.httptap.stack;

import dev.httptap.log.Log;
import dev.httptap.wire.IpAddress;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.IpPacket;
import dev.httptap.wire.IpVersion;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.Ipv6Packet;
import dev.httptap.wire.MalformedPacketException;
import dev.httptap.wire.UdpDatagram;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;

/**
 * A userspace IPv4 and IPv6 TCP/UDP/ICMP stack with no I/O of its own: packets come in through {@link #receive},
 * go out through a {@link PacketOutput}, new flows are offered to a {@link Forwarder}, and time comes
 * from a {@link Clock}. Not thread-safe: one thread drives it.
 *
 * <p>Nothing escapes {@link #receive}: malformed packets are counted by {@link DropReason} and logged
 * with {@code --verbose}; an exception from a forwarder or listener is logged and counted.
 */
public final class NetworkStack {
    /** ICMP destination unreachable, code 3 (RFC 792). */

    private final StackConfig config;
    private final Clock clock;
    private final Forwarder forwarder;
    private final StackStats.Counters counters = new StackStats.Counters();
    private final PacketWriter writer;
    private final TimerQueue timers = new TimerQueue();
    private final TcpLayer tcp;
    private final IcmpResponder icmp;

    /**
     * A stack whose connections' buffers share {@code budget} (with the relay's, when it is given the same),
     * its connections' initial sequence numbers from {@code initialSequences} (unpredictable in a run; chosen in
     * tests, which start near the 2^32 wrap).
     */
    public NetworkStack(StackConfig config, BufferBudget budget, Clock clock, PacketOutput output, Forwarder forwarder,
                 IntSupplier initialSequences) {
        this.config = config;
        this.clock = clock;
        this.forwarder = forwarder;
        this.writer = new PacketWriter(config.mtu(), output, counters);
        this.tcp = new TcpLayer(config, budget, clock, writer, timers, forwarder, counters, initialSequences);
        this.icmp = new IcmpResponder(writer, counters);
    }

    /** Handles one IP packet from the child (position to limit), checking every checksum; the buffer is not kept. */
    public void receive(ByteBuffer packet) {
        receive(packet, false);
    }

    /**
     * As {@link #receive(ByteBuffer)}, but a TCP or UDP checksum is not checked when {@code checksumTrusted}:
     * the device says the kernel's own stack made the packet and left the checksum for the device (the TUN
     * device's checksum offload), so the field holds only a partial sum. IP and ICMP checksums are always
     * checked: the kernel computes those itself.
     */
    public void receive(ByteBuffer packet, boolean checksumTrusted) {
        counters.packetsIn++;
        counters.bytesIn += packet.remaining();
        try {
            IpVersion version = packet.hasRemaining() ? IpVersion.ofFirstByte(packet.get(packet.position())) : null;
            IpPacket ip = version == IpVersion.V6 ? Ipv6Packet.parse(packet) : Ipv4Packet.parse(packet);
            if (ip.isFragment()) {
                drop(DropReason.FRAGMENT, " from " + ip.source());
                return;
            }
            if (ip instanceof Ipv6Packet v6 && (v6.source().isIpv4Mapped() || v6.destination().isIpv4Mapped())) {
                drop(DropReason.UNSUPPORTED_ADDRESS, ": IPv4-mapped address in an IPv6 packet from " + ip.source());
                return;
            }
            IpProtocol protocol = ip.protocol();
            if (protocol.equals(IpProtocol.TCP)) {
                tcp.receive(ip, checksumTrusted);
            } else if (protocol.equals(IpProtocol.UDP)) {
                receiveUdp(ip, checksumTrusted);
            } else if (protocol.equals(IpProtocol.ICMP) && ip instanceof Ipv4Packet v4) {
                icmp.receive(v4);
            } else if (protocol.equals(IpProtocol.ICMPV6) && ip instanceof Ipv6Packet v6) {
                icmp.receive(v6);
            } else {
                drop(DropReason.UNKNOWN_PROTOCOL, ": " + protocol);
            }
        } catch (MalformedPacketException e) {
            drop(DropReason.of(e.malformation()), ": " + e.getMessage());
        } catch (RuntimeException e) {
            counters.drop(DropReason.INTERNAL_ERROR);
            Log.error("internal error while handling a packet: %s", e);
        }
    }

    /** Runs due timers; returns the {@link Clock} time of the next one, or {@code Long.MAX_VALUE}. */
    public long runTimers() {
        try {
            timers.runDue(clock.nanoTime());
        } catch (RuntimeException e) {
            counters.drop(DropReason.INTERNAL_ERROR);
            Log.error("internal error in a TCP timer: %s", e);
        }
        return timers.nextDeadline();
    }

    /** Sends a UDP datagram to the child, from {@code flow.server()} to {@code flow.client()}. */
    public void sendUdp(FlowId flow, ByteBuffer payload) {
        IpAddress from = IpAddress.of(flow.server().getAddress());
        IpAddress to = IpAddress.of(flow.client().getAddress());
        if (from.version() != to.version()) {
            drop(DropReason.UNSUPPORTED_ADDRESS, " for UDP " + flow);
            return;
        }
        if (from.version().headerLength() + UdpDatagram.HEADER_LENGTH + payload.remaining() > config.mtu()) {
            drop(DropReason.UDP_TOO_LARGE, ": " + payload.remaining() + " bytes for " + flow);
            return;
        }
        writer.sendUdp(from, flow.server().getPort(), to, flow.client().getPort(), payload);
    }

    /**
     * Tells the child that nothing answers UDP at {@code flow.server()}, as a host with no such port would:
     * ICMP port unreachable quoting the child's datagram ({@code payload}, not moved), so a connected
     * socket there fails with ECONNREFUSED.
     */
    public void sendIcmpPortUnreachable(FlowId flow, ByteBuffer payload) {
        IpAddress client = IpAddress.of(flow.client().getAddress());
        IpAddress server = IpAddress.of(flow.server().getAddress());
        if (client.getClass() != server.getClass()) {
            drop(DropReason.UNSUPPORTED_ADDRESS, " for an ICMP error to " + flow);
            return;
        }
        ByteBuffer quote = UdpQuote.of(client, flow.client().getPort(), server, flow.server().getPort(), payload);
        writer.sendIcmp(server, client, IcmpMessage.PORT_UNREACHABLE, 0, quote, 0, quote.limit());
    }

    /** Counters since the stack started. */
    public StackStats stats() {
        return counters.snapshot(tcp.openConnections());
    }

    private void receiveUdp(IpPacket ip, boolean checksumTrusted) throws MalformedPacketException {
        UdpDatagram udp = UdpDatagram.parse(ip);
        if (!checksumTrusted) {
            udp.verifyChecksum(ip.pseudoHeaderSum());
        }
        FlowId flow = new FlowId(new InetSocketAddress(ip.source().toInetAddress(), udp.sourcePort()),
                new InetSocketAddress(ip.destination().toInetAddress(), udp.destinationPort()));
        forwarder.onUdpDatagram(flow, udp.payload());
    }

    private void drop(DropReason reason, String detail) {
        counters.drop(reason);
        Log.verbose("dropped packet: %s%s", reason.description(), detail);
    }
}
