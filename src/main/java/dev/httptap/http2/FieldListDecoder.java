package dev.httptap.http2;

import dev.httptap.event.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.compression.EncodingException;
import org.eclipse.jetty.http.compression.HuffmanDecoder;
import org.eclipse.jetty.http2.hpack.HpackContext;

/**
 * HPACK (RFC 7541) for the egress policy's check of HTTP/2 requests: decodes a header block into its
 * fields exactly as sent (every field, pseudo-header fields included, in wire order, names and values as
 * octets), which Jetty's decoder, building a request, does not keep; and says whether the block changed
 * the dynamic table, so whether dropping it would leave the server's decoder behind the client's encoder.
 * Names and values are ISO-8859-1 strings: one char per octet.
 */
final class FieldListDecoder {
    /** Every HPACK peer starts with this table size (SETTINGS_HEADER_TABLE_SIZE's default). */
    private static final int INITIAL_TABLE_BYTES = 4096;
    /** An entry's size is its octets plus this (RFC 7541 section 4.1). */
    private static final int ENTRY_OVERHEAD = 32;
    private static final String[][] STATIC_TABLE = HpackContext.STATIC_TABLE;

    /** The dynamic table, a ring from the oldest entry on (index 62 is the newest), read in constant time. */
    private Header[] table = new Header[16];
    private int oldest;
    private int entries;
    private final HuffmanDecoder huffman = new HuffmanDecoder();
    private int tableBytes;
    private int tableCapacity = INITIAL_TABLE_BYTES;
    private boolean changedTable;
    private boolean resizedTable;

    /** The fields of one complete header block, in order. */
    List<Header> decode(ByteBuffer block) throws Http2Exception {
        ByteBuffer bytes = block.duplicate();
        changedTable = false;
        resizedTable = false;
        List<Header> fields = new ArrayList<>();
        long listBytes = 0;
        while (bytes.hasRemaining()) {
            int first = bytes.get(bytes.position()) & 0xff;
            Header field;
            if ((first & 0x80) != 0) {
                field = entry(integer(bytes, 7));
            } else if ((first & 0xc0) == 0x40) {
                field = literal(bytes, 6);
                insert(field);
            } else if ((first & 0xe0) == 0x20) {
                if (!fields.isEmpty()) {
                    throw new Http2Exception("HPACK: a table size update after a field");
                }
                resize(integer(bytes, 5));
                continue;
            } else {
                field = literal(bytes, 4); // without indexing, or never indexed
            }
            listBytes += field.name().length() + field.value().length() + ENTRY_OVERHEAD;
            if (listBytes > HeaderBlockDecoder.MAX_HEADER_LIST_BYTES) {
                throw new Http2Exception("HPACK: a header list larger than " + HeaderBlockDecoder.MAX_HEADER_LIST_BYTES + " bytes");
            }
            fields.add(field);
        }
        return fields;
    }

    /** Whether the last block decoded added to the dynamic table or resized it. */
    boolean changedTable() {
        return changedTable;
    }

    /** Whether the last block decoded opened with a dynamic table size update. */
    boolean resizedTable() {
        return resizedTable;
    }

    private Header entry(int index) throws Http2Exception {
        if (index > 0 && index < STATIC_TABLE.length) {
            String value = STATIC_TABLE[index][1];
            return new Header(STATIC_TABLE[index][0], value == null ? "" : value);
        }
        int dynamic = index - STATIC_TABLE.length;
        if (index == 0 || dynamic >= entries) {
            throw new Http2Exception("HPACK: no table entry " + index);
        }
        return table[(oldest + entries - 1 - dynamic) % table.length];
    }

    private Header literal(ByteBuffer bytes, int prefixBits) throws Http2Exception {
        int nameIndex = integer(bytes, prefixBits);
        String name = nameIndex == 0 ? string(bytes) : entry(nameIndex).name();
        return new Header(name, string(bytes));
    }

    private void insert(Header field) {
        changedTable = true;
        int size = field.name().length() + field.value().length() + ENTRY_OVERHEAD;
        evictDownTo(tableCapacity - size);
        if (size <= tableCapacity) { // a larger entry empties the table and is not kept
            if (entries == table.length) {
                Header[] larger = new Header[2 * table.length];
                for (int i = 0; i < entries; i++) {
                    larger[i] = table[(oldest + i) % table.length];
                }
                table = larger;
                oldest = 0;
            }
            table[(oldest + entries) % table.length] = field;
            entries++;
            tableBytes += size;
        }
    }

    private void resize(int capacity) throws Http2Exception {
        if (capacity > HeaderBlockDecoder.MAX_TABLE_BYTES) {
            throw new Http2Exception("HPACK: a dynamic table of " + capacity + " bytes");
        }
        changedTable = true;
        resizedTable = true;
        tableCapacity = capacity;
        evictDownTo(capacity);
    }

    private void evictDownTo(int bytes) {
        while (tableBytes > Math.max(bytes, 0) && entries > 0) {
            Header evicted = table[oldest];
            table[oldest] = null;
            oldest = (oldest + 1) % table.length;
            entries--;
            tableBytes -= evicted.name().length() + evicted.value().length() + ENTRY_OVERHEAD;
        }
    }

    /** An integer with a {@code prefixBits}-bit prefix (RFC 7541 section 5.1), bounded well below overflow. */
    private static int integer(ByteBuffer bytes, int prefixBits) throws Http2Exception {
        int max = (1 << prefixBits) - 1;
        int value = bytes.get() & max;
        if (value < max) {
            return value;
        }
        for (int shift = 0; shift <= 21; shift += 7) {
            if (!bytes.hasRemaining()) {
                break;
            }
            int next = bytes.get() & 0xff;
            value += (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new Http2Exception("HPACK: an integer cut short or too large");
    }

    /** A string literal (RFC 7541 section 5.2), Huffman-coded or not. */
    private String string(ByteBuffer bytes) throws Http2Exception {
        if (!bytes.hasRemaining()) {
            throw new Http2Exception("HPACK: the header block ends inside a field");
        }
        boolean huffmanCoded = (bytes.get(bytes.position()) & 0x80) != 0;
        int length = integer(bytes, 7);
        if (length > bytes.remaining()) {
            throw new Http2Exception("HPACK: the header block ends inside a field");
        }
        ByteBuffer octets = bytes.slice(bytes.position(), length);
        bytes.position(bytes.position() + length);
        if (!huffmanCoded) {
            byte[] text = new byte[length];
            octets.get(text);
            return new String(text, StandardCharsets.ISO_8859_1);
        }
        try {
            huffman.reset();
            huffman.setLength(length);
            String text = huffman.decode(octets);
            if (text == null) {
                throw new Http2Exception("HPACK: a Huffman string cut short");
            }
            return text;
        } catch (EncodingException | RuntimeException e) {
            throw new Http2Exception("HPACK: a bad Huffman string: " + e.getMessage());
        }
    }
}
