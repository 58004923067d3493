package dev.httptap.http2;

import dev.httptap.event.Header;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A header block that neither reads nor writes the receiver's dynamic table (RFC 7541): every field a
 * literal, never indexed (the form an intermediary must keep for fields so sent, and harmless for the
 * rest), names and values as they are, without Huffman coding. So it decodes the same whatever that table
 * holds, and leaves it as it was, except for the dynamic table size updates it may open with.
 */
final class LiteralBlock {
    private static final int NEVER_INDEXED = 0x10;
    private static final int SIZE_UPDATE = 0x20;

    private LiteralBlock() {}

    /** {@code fields} as literals, after a table size update to each of {@code tableSizes}. */
    static byte[] of(List<Header> fields, long... tableSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * fields.size() + 8);
        for (long tableSize : tableSizes) {
            integer(out, SIZE_UPDATE, 5, tableSize);
        }
        for (Header field : fields) {
            out.write(NEVER_INDEXED); // name index 0: the name follows as a string
            string(out, field.name());
            string(out, field.value());
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String text) {
        byte[] octets = text.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, 0, 7, octets.length); // the top bit clear: not Huffman-coded
        out.writeBytes(octets);
    }

    /** RFC 7541 section 5.1: {@code value} in a {@code prefixBits}-bit prefix after the {@code flags} bits. */
    private static void integer(ByteArrayOutputStream out, int flags, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | (int) value);
            return;
        }
        out.write(flags | max);
        long rest = value - max;
        while (rest >= 0x80) {
            out.write((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
