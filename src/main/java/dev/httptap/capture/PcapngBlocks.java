package dev.httptap.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The pcapng blocks a capture is made of (draft-ietf-opsawg-pcapng), encoded into byte arrays with no I/O:
 * a Section Header Block, one Interface Description Block for the TUN device (link type 101, raw IPv4 or
 * IPv6), an Enhanced Packet Block per packet and a Decryption Secrets Block per batch of TLS key log lines.
 * Little-endian throughout; the section header's byte-order magic tells readers so.
 */
public final class PcapngBlocks {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 0x00000001;
    static final int ENHANCED_PACKET = 0x00000006;
    static final int DECRYPTION_SECRETS = 0x0000000A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** LINKTYPE_RAW: each packet starts with its IPv4 or IPv6 header, as packets on a TUN device do. */
    static final int LINKTYPE_RAW = 101;
    /** The Decryption Secrets Block's type for an NSS key log ("TLSK"). */
    static final int TLS_KEY_LOG = 0x544C534B;

    private static final short OPT_END = 0;
    private static final short OPT_COMMENT = 1;
    private static final short SHB_USER_APPLICATION = 4;
    private static final short IF_NAME = 2;
    private static final short IF_DESCRIPTION = 3;
    private static final short EPB_FLAGS = 2;
    /** epb_flags' direction bits: the packet came in to the interface, or went out of it. */
    private static final int INBOUND = 1;
    private static final int OUTBOUND = 2;
    /** epb_flags (4 bytes of header, 4 of value) and the end of the options. */
    private static final int PACKET_OPTIONS_BYTES = 12;
    /** Fixed fields of a block: type, total length at both ends. */
    private static final int FRAME_BYTES = 12;

    private PcapngBlocks() {}

    /** The section header: its length unknown (-1), as the file is written while packets pass. */
    public static byte[] sectionHeader(String application, String comment) {
        byte[] options = options(new Option(SHB_USER_APPLICATION, application), new Option(OPT_COMMENT, comment));
        ByteBuffer body = body(16 + options.length);
        body.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L).put(options);
        return block(SECTION_HEADER, body);
    }

    /** The one interface: raw IP, no snapshot length limit, timestamps in microseconds (the default resolution). */
    public static byte[] interfaceDescription(String name, String description) {
        byte[] options = options(new Option(IF_NAME, name), new Option(IF_DESCRIPTION, description));
        ByteBuffer body = body(8 + options.length);
        body.putShort((short) LINKTYPE_RAW).putShort((short) 0).putInt(0).put(options);
        return block(INTERFACE_DESCRIPTION, body);
    }

    /**
     * One packet of interface 0, seen at {@code micros} since the epoch, with its direction as seen from the
     * command's interface: {@code outbound} when the command sent it. {@code packet} is read from its position,
     * not moved.
     */
    public static byte[] enhancedPacket(long micros, ByteBuffer packet, boolean outbound) {
        int length = packet.remaining();
        ByteBuffer body = body(20 + padded(length) + PACKET_OPTIONS_BYTES);
        body.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(length).putInt(length);
        body.put(body.position(), packet, packet.position(), length);
        body.position(body.position() + padded(length));
        body.putShort(EPB_FLAGS).putShort((short) 4).putInt(outbound ? OUTBOUND : INBOUND).putShort(OPT_END).putShort((short) 0);
        return block(ENHANCED_PACKET, body);
    }

    /** NSS key log lines ("LABEL client_random secret\n" each), for the packets after this block. */
    public static byte[] decryptionSecrets(String keyLogLines) {
        byte[] secrets = keyLogLines.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = body(8 + padded(secrets.length));
        body.putInt(TLS_KEY_LOG).putInt(secrets.length).put(secrets);
        return block(DECRYPTION_SECRETS, body);
    }

    private record Option(short code, String value) {}

    private static byte[] options(Option... options) {
        int size = 4;
        for (Option option : options) {
            int length = utf8(option.value()).length;
            if (length > 0xFFFF) {
                throw new IllegalArgumentException("a pcapng option holds at most 65535 bytes, not " + length);
            }
            size += 4 + padded(length);
        }
        ByteBuffer out = body(size);
        for (Option option : options) {
            byte[] value = utf8(option.value());
            out.putShort(option.code()).putShort((short) value.length).put(value);
            out.position(out.position() + padded(value.length) - value.length);
        }
        out.putShort(OPT_END).putShort((short) 0);
        return out.array();
    }

    private static ByteBuffer body(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Frames {@code body} (its whole array, zero padding included) as a block of {@code type}. */
    private static byte[] block(int type, ByteBuffer body) {
        int total = FRAME_BYTES + body.capacity();
        ByteBuffer block = body(total);
        block.putInt(type).putInt(total).put(body.array()).putInt(total);
        return block.array();
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
