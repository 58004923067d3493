package dev.httptap.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Each block, byte for byte, as draft-ietf-opsawg-pcapng lays it out (little-endian, options padded to 4). */
class PcapngBlocksTest {
    @Test
    void sectionHeaderHasTheMagicVersionOneUnknownLengthAndItsOptions() {
        assertEquals("0a0d0d0a" + "30000000"
                        + "4d3c2b1a" + "0100" + "0000" + "ffffffffffffffff"
                        + "0400" + "0100" + "61000000" // shb_userappl "a", padded
                        + "0100" + "0200" + "62630000" // opt_comment "bc", padded
                        + "00000000" // opt_endofopt
                        + "30000000",
                hex(PcapngBlocks.sectionHeader("a", "bc")));
    }

    @Test
    void interfaceIsRawIpWithNoSnapshotLimitAndSaysWhatItIs() {
        assertEquals("01000000" + "28000000"
                        + "6500" + "0000" + "00000000" // LINKTYPE_RAW, reserved, snaplen 0
                        + "0200" + "0400" + "74756e30" // if_name "tun0"
                        + "0300" + "0100" + "64000000" // if_description "d", padded
                        + "00000000"
                        + "28000000",
                hex(PcapngBlocks.interfaceDescription("tun0", "d")));
    }

    @Test
    void enhancedPacketCarriesTheTimestampHalvesBothLengthsThePaddedPacketAndItsDirection() {
        ByteBuffer buffer = ByteBuffer.wrap(HexFormat.of().parseHex("ffff45010203040000"));
        buffer.position(2).limit(7);

        byte[] block = PcapngBlocks.enhancedPacket(0x0000000100000002L, buffer, true);

        assertEquals("06000000" + "34000000"
                        + "00000000" // interface 0
                        + "01000000" + "02000000" // timestamp high, low
                        + "05000000" + "05000000" // captured, original length
                        + "4501020304000000"
                        + "0200" + "0400" + "02000000" // epb_flags: outbound
                        + "00000000"
                        + "34000000",
                hex(block));
        assertEquals("01000000", hex(PcapngBlocks.enhancedPacket(0, buffer, false)).substring(80, 88), "inbound");
        assertEquals(2, buffer.position(), "the packet's buffer is left where it was");
    }

    @Test
    void decryptionSecretsAreATlsKeyLogPaddedToFourBytes() {
        assertEquals("0a000000" + "18000000"
                        + "4b534c54" + "03000000" // 'TLSK', secrets length
                        + "41420a00"
                        + "18000000",
                hex(PcapngBlocks.decryptionSecrets("AB\n")));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
