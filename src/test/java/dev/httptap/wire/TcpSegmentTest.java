package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    /** A data segment with PSH|ACK and a timestamps option carrying "GET / HTTP/1.1\r\n\r\n". */
    static final String DATA = "450000461c4740004006dfa20a0000025db8d70e"
            + "a2c4005012345679abcdef01801801f6ca280000"
            + "0101080a0001e2a0000003e8"
            + "474554202f20485454502f312e310d0a0d0a";

    @Test
    void decodesSynWithEveryLinuxOption() throws MalformedPacketException {
        Ipv4Packet ip = Ipv4Packet.parse(Hex.buffer(Ipv4PacketTest.SYN));
        TcpSegment segment = TcpSegment.parse(ip);
        segment.verifyChecksum(ip.header().pseudoHeaderSum());
        assertEquals(41668, segment.sourcePort());
        assertEquals(80, segment.destinationPort());
        assertEquals(0x12345678, segment.sequence());
        assertEquals(TcpFlags.SYN, segment.flags());
        assertEquals(64240, segment.window());
        assertEquals(1, segment.sequenceLength());
        assertEquals(new TcpOptions(65495, 7, true, true, 0x1e240, 0), segment.options());
    }

    @Test
    void decodesDataSegment() throws MalformedPacketException {
        Ipv4Packet ip = Ipv4Packet.parse(Hex.buffer(DATA));
        TcpSegment segment = TcpSegment.parse(ip);
        segment.verifyChecksum(ip.header().pseudoHeaderSum());
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, segment.flags());
        assertEquals(0xabcdef01, segment.acknowledgment());
        assertEquals(TcpOptions.timestamps(0x1e2a0, 1000), segment.options());
        assertEquals(18, segment.payloadLength());
        byte[] payload = new byte[segment.payloadLength()];
        segment.buffer().get(segment.payloadOffset(), payload);
        assertEquals("GET / HTTP/1.1\r\n\r\n", new String(payload, StandardCharsets.US_ASCII));
    }

    @Test
    void encodesSynAndDataToTheSameBytes() {
        assertEquals(Ipv4PacketTest.SYN, encode(new TcpHeader(41668, 80, 0x12345678, 0, TcpFlags.SYN, 64240,
                new TcpOptions(65495, 7, true, true, 0x1e240, 0)), "", 0x1c46));
        assertEquals(DATA, encode(new TcpHeader(41668, 80, 0x12345679, 0xabcdef01, TcpFlags.PSH | TcpFlags.ACK,
                502, TcpOptions.timestamps(0x1e2a0, 1000)), "474554202f20485454502f312e310d0a0d0a", 0x1c47));
    }

    @Test
    void skipsSackBlocksEolAndUnknownOptions() throws MalformedPacketException {
        // SACK block (kind 5, two edges), an unknown kind 30 of length 4, MSS, then EOL and garbage after it.
        ByteBuffer options = Hex.buffer("0101050a0000000100000002" + "1e04abcd" + "02040578" + "00ff");
        TcpOptions parsed = TcpOptions.parse(options, 0, options.capacity());
        assertEquals(1400, parsed.mss());
        assertEquals(TcpOptions.NO_WINDOW_SCALE, parsed.windowScale());
        assertFalse(parsed.timestamps());
    }

    @Test
    void keepsAnAbsurdWindowScaleAndMssAsTheyCame() throws MalformedPacketException {
        ByteBuffer options = Hex.buffer("010303ff" + "02040000");
        TcpOptions parsed = TcpOptions.parse(options, 0, 8);
        assertEquals(255, parsed.windowScale(), "the stack clamps it, a dump shows it");
        assertEquals(0, parsed.mss(), "an MSS of 0 is not an absent MSS");
    }

    @Test
    void rejectsOptionsRunningPastTheHeader() {
        ByteBuffer options = Hex.buffer("020805b4");
        assertEquals(Malformation.BAD_OPTION, assertThrows(MalformedPacketException.class,
                () -> TcpOptions.parse(options, 0, 4)).malformation());
        ByteBuffer zeroLength = Hex.buffer("1e000000");
        assertEquals(Malformation.BAD_OPTION, assertThrows(MalformedPacketException.class,
                () -> TcpOptions.parse(zeroLength, 0, 4)).malformation());
    }

    @Test
    void rejectsBadDataOffsetTruncationAndChecksum() throws MalformedPacketException {
        ByteBuffer badOffset = Hex.buffer(DATA);
        badOffset.put(32, (byte) 0x40);
        assertTcpMalformed(Malformation.BAD_DATA_OFFSET, badOffset);
        ByteBuffer offsetPastEnd = Hex.buffer(DATA);
        offsetPastEnd.put(32, (byte) 0xf0);
        assertTcpMalformed(Malformation.BAD_DATA_OFFSET, offsetPastEnd);

        Ipv4Packet ip = Ipv4Packet.parse(Hex.buffer(DATA));
        assertEquals(Malformation.TRUNCATED, assertThrows(MalformedPacketException.class,
                () -> TcpSegment.parse(ip.buffer(), ip.payloadOffset(), 19)).malformation());

        ByteBuffer flipped = Hex.buffer(DATA);
        flipped.put(flipped.capacity() - 1, (byte) 0x0b);
        Ipv4Packet corrupted = Ipv4Packet.parse(flipped);
        TcpSegment segment = TcpSegment.parse(corrupted);
        assertEquals(Malformation.BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> segment.verifyChecksum(corrupted.header().pseudoHeaderSum())).malformation());
        assertTrue(segment.has(TcpFlags.ACK));
    }

    @Test
    void aPartialChecksumCompletedAsTheKernelDoesIsTheFullChecksum() throws MalformedPacketException {
        TcpHeader tcp = new TcpHeader(40000, 443, 1, 2, TcpFlags.PSH | TcpFlags.ACK, 512, TcpOptions.NONE);
        byte[] payload = "hello, partial checksums!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Ipv4Header ip = new Ipv4Header(Ipv4Address.of(10, 0, 0, 2), Ipv4Address.of(10, 0, 0, 1),
                IpProtocol.TCP, tcp.length() + payload.length, 64, 7);
        ByteBuffer full = ByteBuffer.allocate(ip.totalLength());
        full.put(Ipv4Header.LENGTH + tcp.length(), payload);
        ip.emit(full, 0);
        tcp.emit(full, Ipv4Header.LENGTH, ip.pseudoHeaderSum(), payload.length);
        ByteBuffer partialCopy = ByteBuffer.allocate(full.capacity()).put(0, full, 0, full.capacity());

        tcp.emitWithPartialChecksum(partialCopy, Ipv4Header.LENGTH, ip.pseudoHeaderSum());
        int checksumAt = Ipv4Header.LENGTH + TcpHeader.CHECKSUM_OFFSET;
        assertEquals(Checksum.fold(ip.pseudoHeaderSum()), partialCopy.getShort(checksumAt) & 0xFFFF);
        // The device: sum from the TCP header to the end, the field's content included, and store the complement.
        int completed = Checksum.compute(partialCopy, Ipv4Header.LENGTH, partialCopy.capacity() - Ipv4Header.LENGTH);
        partialCopy.putShort(checksumAt, (short) completed);

        assertEquals(Hex.of(full, 0, full.capacity()), Hex.of(partialCopy, 0, partialCopy.capacity()));
        Ipv4Packet parsed = Ipv4Packet.parse(partialCopy);
        TcpSegment.parse(parsed).verifyChecksum(parsed.header().pseudoHeaderSum());
    }

    private static void assertTcpMalformed(Malformation expected, ByteBuffer packet) throws MalformedPacketException {
        Ipv4Packet ip = Ipv4Packet.parse(packet);
        assertEquals(expected, assertThrows(MalformedPacketException.class, () -> TcpSegment.parse(ip)).malformation());
    }

    private static String encode(TcpHeader tcp, String payloadHex, int identification) {
        ByteBuffer payload = Hex.buffer(payloadHex);
        int tcpLength = tcp.length() + payload.remaining();
        Ipv4Header ip = new Ipv4Header(Ipv4Address.of(10, 0, 0, 2), Ipv4Address.of(93, 184, 215, 14),
                IpProtocol.TCP, tcpLength, 64, identification);
        ByteBuffer out = ByteBuffer.allocate(ip.totalLength());
        out.put(Ipv4Header.LENGTH + tcp.length(), payload, 0, payload.remaining());
        ip.emit(out, 0);
        tcp.emit(out, Ipv4Header.LENGTH, ip.pseudoHeaderSum(), payload.remaining());
        return Hex.of(out, 0, out.capacity());
    }
}
