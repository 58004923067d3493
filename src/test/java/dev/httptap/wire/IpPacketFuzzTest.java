package dev.httptap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;

/** IPv4 and IPv6 (with extension header chains) from arbitrary bytes, and the --dump-tcp line of each. */
class IpPacketFuzzTest {
    private static final int MAX_DUMP_LINE_CHARS = 400;

    @FuzzTest
    void ipv4(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            Ipv4Packet packet = Ipv4Packet.parse(buffer);
            assertTrue(packet.headerLength() >= 20 && packet.headerLength() <= 60 && packet.headerLength() % 4 == 0);
            assertTrue(packet.totalLength() <= bytes.length, "total length within the bytes");
            assertEquals(packet.totalLength(), packet.headerLength() + packet.payloadLength());
            // What the stack would emit for these fields parses back to the same fields.
            Ipv4Header header = packet.header();
            ByteBuffer emitted = ByteBuffer.allocate(header.totalLength());
            header.emit(emitted, 0);
            assertEquals(header, Ipv4Packet.parse(emitted).header());
        } catch (MalformedPacketException expected) {
            // the documented refusal
        }
        assertSummaryIsOneBoundedLine(bytes);
        assertEquals(0, buffer.position(), "parsing does not move the buffer");
    }

    /**
     * The fixed header is made right (version 6, payload length that of the bytes) so that the fuzzer works
     * on the extension header chain; the result is checked against a plain re-walk of the chain.
     */
    @FuzzTest
    void ipv6WithExtensionHeaders(FuzzedDataProvider data) {
        boolean lyingLength = data.consumeBoolean();
        int firstNextHeader = data.pickValue(new int[] {0, 43, 44, 60, 6, 17, 58, data.consumeInt(0, 255)});
        byte[] payload = data.consumeRemainingAsBytes();
        ByteBuffer buffer = ByteBuffer.allocate(40 + payload.length);
        buffer.putInt(0, 6 << 28);
        buffer.putShort(4, (short) (lyingLength ? payload.length ^ 0x5a : payload.length));
        buffer.put(6, (byte) firstNextHeader);
        buffer.put(40, payload);
        byte[] bytes = buffer.array();
        try {
            Ipv6Packet packet = Ipv6Packet.parse(buffer);
            int[] walk = walkChain(bytes, packet.totalLength());
            assertEquals(walk[0], packet.payloadOffset(), "upper-layer offset");
            assertEquals(walk[1], packet.protocol().number(), "upper-layer protocol");
            assertEquals(walk[2] == 1, packet.isFragment(), "fragment");
            assertTrue(packet.payloadLength() >= 0 && packet.payloadOffset() + packet.payloadLength() <= bytes.length);
        } catch (MalformedPacketException expected) {
            assertTrue(lyingLength || walkChain(bytes, bytes.length) == null, "refused a well-formed chain");
        }
        assertSummaryIsOneBoundedLine(bytes);
    }

    /** {offset, protocol, fragment 0/1} after the chain of RFC 8200 headers, or null when it overruns. */
    private static int[] walkChain(byte[] bytes, int end) {
        int next = bytes[6] & 0xff;
        int offset = 40;
        while (next == 0 || next == 43 || next == 44 || next == 60) {
            int length = next == 44 ? 8 : offset + 2 <= end ? ((bytes[offset + 1] & 0xff) + 1) * 8 : Integer.MAX_VALUE;
            if (length == Integer.MAX_VALUE || offset + length > end) {
                return null;
            }
            boolean isFragmentHeader = next == 44;
            int fragmentField = isFragmentHeader ? ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff) : 0;
            next = bytes[offset] & 0xff;
            offset += length;
            if (isFragmentHeader && (fragmentField & 0xfff9) != 0) { // an offset, or more fragments
                return new int[] {offset, next, 1};
            }
        }
        return new int[] {offset, next, 0};
    }

    /** --dump-tcp's description never throws, and is one line of bounded length, naming malformed packets. */
    static void assertSummaryIsOneBoundedLine(byte[] bytes) {
        for (PacketSummary.Direction direction : PacketSummary.Direction.values()) {
            Optional<String> line = PacketSummary.describeTcp(ByteBuffer.wrap(bytes), 0, bytes.length, direction);
            line.ifPresent(text -> {
                assertTrue(text.length() <= MAX_DUMP_LINE_CHARS, "dump line too long: " + text);
                assertTrue(text.indexOf('\n') < 0, "dump line with a line break: " + text);
            });
        }
    }
}
