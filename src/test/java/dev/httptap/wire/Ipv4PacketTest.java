package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    /** A Linux SYN from 10.0.0.2:41668 to 93.184.215.14:80 (checksums computed independently). */
    static final String SYN = "4500003c1c4640004006dfad0a0000025db8d70e"
            + "a2c400501234567800000000a002faf026200000"
            + "0204ffd70402080a0001e2400000000001030307";

    @Test
    void decodesHeaderFields() throws MalformedPacketException {
        Ipv4Packet packet = Ipv4Packet.parse(Hex.buffer(SYN));
        assertEquals(20, packet.headerLength());
        assertEquals(60, packet.totalLength());
        assertEquals(0x1c46, packet.identification());
        assertEquals(64, packet.ttl());
        assertEquals(IpProtocol.TCP, packet.protocol());
        assertEquals(Ipv4Address.of(10, 0, 0, 2), packet.source());
        assertEquals(Ipv4Address.of(93, 184, 215, 14), packet.destination());
        assertFalse(packet.isFragment());
        assertEquals(20, packet.payloadOffset());
        assertEquals(40, packet.payloadLength());
    }

    @Test
    void encodesTheSameBytes() {
        Ipv4Header header = new Ipv4Header(Ipv4Address.of(10, 0, 0, 2), Ipv4Address.of(93, 184, 215, 14),
                IpProtocol.TCP, 40, 64, 0x1c46);
        ByteBuffer out = ByteBuffer.allocate(20);
        header.emit(out, 0);
        assertEquals(SYN.substring(0, 40), Hex.of(out, 0, 20));
    }

    @Test
    void respectsBufferPositionAndIgnoresTrailingPadding() throws MalformedPacketException {
        ByteBuffer buffer = Hex.buffer("ffff" + SYN + "0000");
        buffer.position(2);
        Ipv4Packet packet = Ipv4Packet.parse(buffer);
        assertEquals(2, packet.start());
        assertEquals(60, packet.totalLength());
    }

    @Test
    void keepsUnknownProtocolNumbers() throws MalformedPacketException {
        ByteBuffer out = ByteBuffer.allocate(20);
        new Ipv4Header(Ipv4Address.of(1, 2, 3, 4), Ipv4Address.of(5, 6, 7, 8), new IpProtocol(132), 0, 64, 1)
                .emit(out, 0);
        assertEquals(new IpProtocol(132), Ipv4Packet.parse(out).protocol());
    }

    @Test
    void skipsOptions() throws MalformedPacketException {
        // IHL 6: one four-byte option (NOP NOP NOP EOL) before a 4-byte payload.
        ByteBuffer buffer = Hex.buffer("4600001c00010000400100000102030405060708" + "01010100" + "deadbeef");
        buffer.putShort(10, (short) Checksum.compute(buffer, 0, 24));
        Ipv4Packet packet = Ipv4Packet.parse(buffer);
        assertEquals(24, packet.payloadOffset());
        assertEquals(4, packet.payloadLength());
    }

    @Test
    void recognisesFragments() throws MalformedPacketException {
        assertTrue(withFlags(0x2000).isFragment());
        assertTrue(withFlags(0x0010).isFragment());
        assertFalse(withFlags(0x4000).isFragment());
    }

    @Test
    void rejectsMalformedHeaders() {
        assertMalformed(Malformation.TRUNCATED, SYN.substring(0, 38));
        assertMalformed(Malformation.BAD_VERSION, "5" + SYN.substring(1));
        assertMalformed(Malformation.BAD_HEADER_LENGTH, "44" + SYN.substring(2));
        assertMalformed(Malformation.BAD_HEADER_LENGTH, "4f" + SYN.substring(2, 40));
        assertMalformed(Malformation.BAD_TOTAL_LENGTH, SYN.substring(0, 4) + "0040" + SYN.substring(8));
        assertMalformed(Malformation.BAD_TOTAL_LENGTH, SYN.substring(0, 4) + "0010" + SYN.substring(8));
        assertMalformed(Malformation.BAD_CHECKSUM, SYN.substring(0, 20) + "dfae" + SYN.substring(24));
    }

    private static Ipv4Packet withFlags(int flags) throws MalformedPacketException {
        ByteBuffer buffer = Hex.buffer(SYN);
        buffer.putShort(6, (short) flags).putShort(10, (short) 0);
        buffer.putShort(10, (short) Checksum.compute(buffer, 0, 20));
        return Ipv4Packet.parse(buffer);
    }

    private static void assertMalformed(Malformation expected, String hex) {
        MalformedPacketException error = assertThrows(MalformedPacketException.class,
                () -> Ipv4Packet.parse(Hex.buffer(hex)));
        assertEquals(expected, error.malformation());
    }
}
