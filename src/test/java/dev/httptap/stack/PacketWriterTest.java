package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.wire.Checksum;
import dev.httptap.wire.IpProtocol;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv4Header;
import dev.httptap.wire.Ipv4Packet;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the writer leaves in the TCP checksum field, by what the output can do. */
class PacketWriterTest {
    private static final Ipv4Address CHILD = Ipv4Address.of(10, 1, 1, 100);
    private static final Ipv4Address SERVER = Ipv4Address.of(169, 254, 77, 65);
    private static final TcpHeader HEADER = new TcpHeader(80, 40000, 1, 2, TcpFlags.ACK, 512, TcpOptions.NONE);
    private static final int CHECKSUM_AT = Ipv4Header.LENGTH + TcpHeader.CHECKSUM_OFFSET;

    @Test
    void anOutputThatCompletesChecksumsGetsOnlyThePseudoHeaderSum() throws Exception {
        byte[] packet = sendHello(true);

        Ipv4Packet ip = Ipv4Packet.parse(ByteBuffer.wrap(packet));
        int field = ByteBuffer.wrap(packet).getShort(CHECKSUM_AT) & 0xFFFF;
        assertEquals(Checksum.fold(ip.header().pseudoHeaderSum()), field);
        assertEquals(IpProtocol.TCP, ip.protocol());
    }

    @Test
    void anyOtherOutputGetsTheFullChecksum() throws Exception {
        byte[] partial = sendHello(true);
        byte[] full = sendHello(false);

        ByteBuffer completed = ByteBuffer.wrap(partial);
        completed.putShort(CHECKSUM_AT, (short) Checksum.compute(completed, Ipv4Header.LENGTH,
                partial.length - Ipv4Header.LENGTH));
        assertEquals(ByteBuffer.wrap(full), completed.clear(), "the same packet once the device completes it");
        SentPacket.parse(full); // verifies the checksum
    }

    private static byte[] sendHello(boolean outputCompletesChecksums) {
        List<byte[]> sent = new ArrayList<>();
        PacketOutput output = new PacketOutput() {
            @Override
            public void send(ByteBuffer packet) {
                byte[] copy = new byte[packet.remaining()];
                packet.get(packet.position(), copy);
                sent.add(copy);
            }

            @Override
            public boolean completesTcpChecksums() {
                return outputCompletesChecksums;
            }
        };
        SendQueue data = new SendQueue(1024);
        data.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), Integer.MAX_VALUE);
        new PacketWriter(1500, output, new StackStats.Counters()).sendTcp(SERVER, CHILD, HEADER, data, 0, 5);
        assertEquals(1, sent.size());
        return sent.get(0);
    }
}
