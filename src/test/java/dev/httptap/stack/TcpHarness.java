package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.IpAddress;
import dev.httptap.wire.IpHeader;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.Ipv6Address;
import dev.httptap.wire.Ipv6Header;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The child's side of a TCP conversation with the stack, gVisor-style: build segments from the child,
 * feed them in, and look at the segments that come back. Time moves only through {@link #advanceMillis}.
 */
final class TcpHarness {
    static final Ipv4Address CLIENT = Ipv4Address.of(10, 0, 0, 2);
    static final Ipv4Address SERVER = Ipv4Address.of(93, 184, 215, 14);
    static final int CLIENT_PORT = 40000;
    static final int SERVER_PORT = 80;
    static final int CHILD_ISN = 1000;
    static final int OUR_ISS = 5000;
    /** What Linux puts in a SYN on the large-MTU TUN, without timestamps to keep segments simple. */
    static final TcpOptions CHILD_SYN_OPTIONS = new TcpOptions(65495, 7, true, false, 0, 0);
    /** MTU 1500 and small buffers, so windows fill with a few segments. */
    static final StackConfig SMALL = new StackConfig(1500, 4000, 3000, 64);

    final ManualClock clock = new ManualClock();
    final RecordingOutput output = new RecordingOutput();
    final RecordingForwarder forwarder = new RecordingForwarder();
    final RecordingListener listener = new RecordingListener();
    final NetworkStack stack;
    /** The child's address and the one it connects to: {@link #CLIENT} and {@link #SERVER} unless chosen. */
    final IpAddress client;
    final IpAddress server;
    TcpConnection connection;
    /** The child's next sequence number and what it acknowledges of ours. */
    int childSeq = CHILD_ISN;
    int childAck;
    /** The window field the child advertises (scaled by 2^7 after the handshake when scaling is on). */
    int childWindow = 512;

    TcpHarness(StackConfig config, int iss) {
        this(config, iss, CLIENT, SERVER);
    }

    /** A conversation between two addresses of one version, IPv4 or IPv6. */
    TcpHarness(StackConfig config, int iss, IpAddress client, IpAddress server) {
        this(config, BufferBudget.unlimited(), iss, client, server);
    }

    /** Connections whose buffers share {@code budget}. */
    TcpHarness(StackConfig config, BufferBudget budget, int iss, IpAddress client, IpAddress server) {
        this.client = client;
        this.server = server;
        stack = new NetworkStack(config, budget, clock, output, forwarder, () -> iss);
    }

    /** A connection through the whole handshake with the default options; output drained. */
    static TcpHarness established(StackConfig config) {
        return established(config, OUR_ISS, CHILD_ISN);
    }

    /** Established, its buffers counted in {@code budget}. */
    static TcpHarness established(StackConfig config, BufferBudget budget) {
        TcpHarness harness = new TcpHarness(config, budget, OUR_ISS, CLIENT, SERVER);
        harness.handshake(CHILD_SYN_OPTIONS);
        return harness;
    }

    static TcpHarness established(StackConfig config, int iss, int childIsn) {
        TcpHarness harness = new TcpHarness(config, iss);
        harness.childSeq = childIsn;
        harness.handshake(CHILD_SYN_OPTIONS);
        return harness;
    }

    void handshake(TcpOptions synOptions) {
        syn(synOptions);
        connection = onlyRequest().accept(listener);
        SentPacket synAck = onlySent();
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, synAck.flags(), "SYN-ACK expected, got " + synAck);
        childAck = synAck.seq() + 1;
        send(TcpFlags.ACK, "");
        assertEquals(List.of(), sent(), "nothing answers the handshake's final ACK");
    }

    void syn(TcpOptions options) {
        fromChild(TcpFlags.SYN, childSeq, 0, 64240, options, new byte[0]);
        childSeq++;
    }

    TcpConnectRequest onlyRequest() {
        assertEquals(1, forwarder.requests.size(), "connection requests");
        return forwarder.requests.remove(0);
    }

    /** Sends a segment at the child's current sequence number and advances it. */
    void send(int flags, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        fromChild(flags, childSeq, childAck, childWindow, TcpOptions.NONE, bytes);
        childSeq += bytes.length + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /** Sends data at an explicit sequence number (for loss, reordering and overlap), not moving childSeq. */
    void sendAt(int seq, String payload) {
        fromChild(TcpFlags.ACK, seq, childAck, childWindow, TcpOptions.NONE,
                payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Acknowledges our bytes up to {@code ack} with the current window. */
    void ack(int ack) {
        childAck = ack;
        fromChild(TcpFlags.ACK, childSeq, ack, childWindow, TcpOptions.NONE, new byte[0]);
    }

    void fromChild(int flags, int seq, int ack, int window, TcpOptions options, byte[] payload) {
        stack.receive(packet(client, server, flags, seq, ack, window, options, payload));
    }

    static ByteBuffer packet(int flags, int seq, int ack, int window, TcpOptions options, byte[] payload) {
        return packet(CLIENT, SERVER, flags, seq, ack, window, options, payload);
    }

    static ByteBuffer packet(IpAddress client, IpAddress server, int flags, int seq, int ack, int window,
                             TcpOptions options, byte[] payload) {
        TcpHeader tcp = new TcpHeader(CLIENT_PORT, SERVER_PORT, seq, ack, flags, window, options);
        IpHeader ip = ipHeader(client, server, IpProtocol.TCP, tcp.length() + payload.length);
        ByteBuffer buffer = ByteBuffer.allocate(ip.totalLength());
        buffer.put(ip.length() + tcp.length(), payload);
        tcp.emit(buffer, ip.length(), ip.pseudoHeaderSum(), payload.length);
        ip.emit(buffer, 0);
        return buffer;
    }

    /** The header the child's kernel would put in front of a payload between these addresses. */
    static IpHeader ipHeader(IpAddress from, IpAddress to, IpProtocol protocol, int payloadLength) {
        if (from instanceof Ipv6Address source) {
            return new Ipv6Header(source, (Ipv6Address) to, protocol, payloadLength, 64);
        }
        return new Ipv4Header((Ipv4Address) from, (Ipv4Address) to, protocol, payloadLength, 64, 1);
    }

    List<SentPacket> sent() {
        return output.drain();
    }

    SentPacket onlySent() {
        List<SentPacket> sent = sent();
        assertEquals(1, sent.size(), "expected exactly one packet, got " + sent);
        return sent.get(0);
    }

    /** Moves the clock and runs every timer that became due. */
    void advanceMillis(long millis) {
        clock.advanceMillis(millis);
        for (int round = 0; round < 10 && stack.runTimers() <= clock.nanoTime(); round++) {
            // A timer due now that was scheduled by another timer runs in the next round.
        }
    }

    /** Writes text for the child; all of it must fit. */
    void write(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(bytes.remaining(), connection.write(bytes));
    }

    String readAll() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        connection.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
    }

    static void assertSegment(SentPacket packet, int flags, int seq, int ack) {
        assertTrue(packet.is(flags), "flags " + TcpFlags.toString(flags) + " expected: " + packet);
        assertEquals(seq, packet.seq(), "seq of " + packet);
        assertEquals(ack, packet.ack(), "ack of " + packet);
    }

    static String text(int length, char fill) {
        return String.valueOf(fill).repeat(length);
    }
}
