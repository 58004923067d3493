package dev.httptap.dns;

import java.nio.ByteBuffer;

/**
 * Reads a possibly compressed domain name (RFC 1035 4.1.4). Every pointer must point strictly before the
 * label that holds it, so a chain of pointers always moves backwards and cannot loop; and a name may follow
 * at most {@link #MAX_POINTERS} of them, so that reading it costs little however the message chains them.
 */
final class DnsName {
    static final int MAX_NAME_OCTETS = 255;
    /** A name has at most 127 labels, and an encoder points at most once per label. */
    static final int MAX_POINTERS = 127;

    /** A name and the offset just after it where it was written (after its first pointer, if any). */
    record Read(String name, int end) {}

    private DnsName() {}

    /**
     * Reads the name at {@code offset}; offsets are relative to {@code message.position()}, where the DNS
     * header starts, and nothing at or past {@code message.limit()} is read.
     */
    static Read read(ByteBuffer message, int offset) throws DnsFormatException {
        int base = message.position();
        int length = message.remaining();
        StringBuilder name = new StringBuilder();
        int encodedOctets = 1; // the final zero-length label
        int cursor = offset;
        int end = -1;
        int pointers = 0;
        while (true) {
            if (cursor >= length) {
                throw new DnsFormatException("name runs past the end of the message");
            }
            int labelStart = cursor;
            int lengthOctet = message.get(base + cursor) & 0xff;
            switch (lengthOctet >>> 6) {
                case 0 -> {
                    if (lengthOctet == 0) {
                        return new Read(name.toString(), end >= 0 ? end : cursor + 1);
                    }
                    if (cursor + 1 + lengthOctet > length) {
                        throw new DnsFormatException("label runs past the end of the message");
                    }
                    encodedOctets += 1 + lengthOctet;
                    if (encodedOctets > MAX_NAME_OCTETS) {
                        throw new DnsFormatException("name longer than 255 octets");
                    }
                    if (name.length() > 0) {
                        name.append('.');
                    }
                    appendLabel(name, message, base + cursor + 1, lengthOctet);
                    cursor += 1 + lengthOctet;
                }
                case 3 -> {
                    if (cursor + 2 > length) {
                        throw new DnsFormatException("compression pointer runs past the end of the message");
                    }
                    int target = ((lengthOctet & 0x3f) << 8) | (message.get(base + cursor + 1) & 0xff);
                    if (target >= labelStart) {
                        throw new DnsFormatException("compression pointer does not point backwards");
                    }
                    if (++pointers > MAX_POINTERS) {
                        throw new DnsFormatException("more than " + MAX_POINTERS + " compression pointers in a name");
                    }
                    if (end < 0) {
                        end = cursor + 2;
                    }
                    cursor = target;
                }
                default -> throw new DnsFormatException("unsupported label type 0x" + Integer.toHexString(lengthOctet));
            }
        }
    }

    private static void appendLabel(StringBuilder name, ByteBuffer message, int from, int count) {
        for (int i = 0; i < count; i++) {
            int octet = message.get(from + i) & 0xff;
            // Dots and odd octets inside a label are escaped as in zone files, so the dotted form stays unambiguous.
            if (octet == '.' || octet == '\\') {
                name.append('\\').append((char) octet);
            } else if (octet <= 0x20 || octet >= 0x7f) {
                name.append(String.format("\\%03d", octet));
            } else {
                name.append((char) octet);
            }
        }
    }
}
