package dev.httptap.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.wire.PacketSummary.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The capture's blocks in the order they come, and its size limit, over an in-memory stream. */
class CaptureFileTest {
    private static final byte[] HEADERS = {1, 2, 3, 4};
    private static final ByteBuffer PACKET = ByteBuffer.wrap(new byte[] {0x45, 0, 0, 20});

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void headersThenEachBlockAsItCameOnceFlushed() throws IOException {
        CaptureFile capture = new CaptureFile(out, true, "test", 0, () -> 7, HEADERS);
        capture.onPacket(PACKET.duplicate(), Direction.OUTGOING);
        capture.secrets("X r s\n");
        capture.onPacket(PACKET.duplicate(), Direction.INCOMING);
        assertEquals(HEADERS.length, out.size(), "buffered until flushed");

        capture.flush();

        assertArrayEquals(concat(HEADERS, PcapngBlocks.enhancedPacket(7, PACKET.duplicate(), true),
                PcapngBlocks.decryptionSecrets("X r s\n"), PcapngBlocks.enhancedPacket(7, PACKET.duplicate(), false)),
                out.toByteArray());
    }

    @Test
    void theLimitStopsTheCaptureBeforeTheBlockThatWouldPassIt() throws IOException {
        int packetBlock = PcapngBlocks.enhancedPacket(7, PACKET.duplicate(), true).length;
        CaptureFile capture = new CaptureFile(out, true, "test", HEADERS.length + 2L * packetBlock + 1, () -> 7, HEADERS);
        for (int i = 0; i < 5; i++) {
            capture.onPacket(PACKET.duplicate(), Direction.OUTGOING);
        }
        capture.secrets("X r s\n");
        capture.close();

        assertEquals(HEADERS.length + 2 * packetBlock, out.size());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
