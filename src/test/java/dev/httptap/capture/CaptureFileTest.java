package dev.httptap.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.wire.PacketSummary.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The capture's blocks in the order they go out, and its size limit, over an in-memory stream. */
class CaptureFileTest {
    private static final byte[] HEADERS = {1, 2, 3, 4};
    private static final ByteBuffer PACKET = ByteBuffer.wrap(new byte[] {0x45, 0, 0, 20});

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** As TLS 1.2's master secret, known once the packet carrying the first record it protects was read. */
    @Test
    void aSecretToldDuringARoundGoesAheadOfTheRoundsPackets() throws IOException {
        CaptureFile capture = new CaptureFile(out, true, "test", 0, () -> 7, HEADERS);
        capture.onPacket(PACKET.duplicate(), Direction.OUTGOING);
        capture.secrets("X r s\n");
        capture.onPacket(PACKET.duplicate(), Direction.INCOMING);
        assertEquals(HEADERS.length, out.size(), "buffered until flushed");
        capture.flush();
        capture.onPacket(PACKET.duplicate(), Direction.OUTGOING);
        capture.secrets("Y r s\n");
        capture.flush();

        byte[] outgoing = PcapngBlocks.enhancedPacket(7, PACKET.duplicate(), true);
        byte[] incoming = PcapngBlocks.enhancedPacket(7, PACKET.duplicate(), false);
        assertArrayEquals(concat(HEADERS, PcapngBlocks.decryptionSecrets("X r s\n"), outgoing, incoming,
                PcapngBlocks.decryptionSecrets("Y r s\n"), outgoing), out.toByteArray());
    }

    @Test
    void aRoundHoldsBackABoundedAmountOfPackets() throws IOException {
        CaptureFile capture = new CaptureFile(out, true, "test", 0, () -> 7, HEADERS);
        ByteBuffer large = ByteBuffer.allocate(60_000);
        int block = PcapngBlocks.enhancedPacket(7, large.duplicate(), true).length;
        for (long held = 0; held <= CaptureFile.MAX_HELD_BYTES; held += block) {
            capture.onPacket(large.duplicate(), Direction.OUTGOING);
        }
        capture.secrets("X r s\n");
        capture.flush();

        byte[] file = out.toByteArray();
        assertEquals(HEADERS.length + (CaptureFile.MAX_HELD_BYTES / block + 1) * block,
                indexOf(file, PcapngBlocks.decryptionSecrets("X r s\n")), "the held packets went out first");
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

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int at = 0; at + part.length <= bytes.length; at++) {
            if (java.util.Arrays.equals(bytes, at, at + part.length, part, 0, part.length)) {
                return at;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
