package dev.httptap.dns;

import dev.httptap.wire.IpAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A DNS response read for display: its header and questions ({@link DnsMessage}) and its answer section
 * (RFC 1035 4.1.3), parsed with bounds checks. Authority and additional records are not read.
 */
public final class DnsResponse {
    private static final int MAX_ANSWERS = 256;
    private static final int MAX_DATA_HEX_BYTES = 64;

    private final DnsMessage message;
    private final List<DnsRecord> answers;

    private DnsResponse(DnsMessage message, List<DnsRecord> answers) {
        this.message = message;
        this.answers = answers;
    }

    /** Parses {@code response} from its position to its limit; the buffer is not changed or kept. */
    public static DnsResponse parse(ByteBuffer response) throws DnsFormatException {
        DnsMessage message = DnsMessage.parse(response);
        int base = response.position();
        int length = response.remaining();
        int answerCount = response.getShort(base + 6) & 0xffff;
        if (answerCount > MAX_ANSWERS) {
            throw new DnsFormatException("too many answers (" + answerCount + ")");
        }
        List<DnsRecord> answers = new ArrayList<>(answerCount);
        int cursor = message.questionSectionEnd();
        for (int i = 0; i < answerCount; i++) {
            DnsName.Read name = DnsName.read(response, cursor);
            cursor = name.end();
            if (cursor + 10 > length) {
                throw new DnsFormatException("answer " + (i + 1) + " runs past the end of the message");
            }
            int type = response.getShort(base + cursor) & 0xffff;
            int dnsClass = response.getShort(base + cursor + 2) & 0xffff;
            long ttl = response.getInt(base + cursor + 4) & 0xffffffffL;
            int dataLength = response.getShort(base + cursor + 8) & 0xffff;
            int dataStart = cursor + 10;
            if (dataStart + dataLength > length) {
                throw new DnsFormatException("data of answer " + (i + 1) + " runs past the end of the message");
            }
            String data = data(response, type, dataStart, dataLength);
            answers.add(new DnsRecord(name.name(), type, dnsClass, ttl, data));
            cursor = dataStart + dataLength;
        }
        return new DnsResponse(message, List.copyOf(answers));
    }

    public DnsMessage message() {
        return message;
    }

    /** 0 is NOERROR, 3 is NXDOMAIN: see {@link DnsType#responseCodeName(int)}. */
    public int responseCode() {
        return message.responseCode();
    }

    public List<DnsQuestion> questions() {
        return message.questions();
    }

    public List<DnsRecord> answers() {
        return answers;
    }

    /** The record data of one answer as text; {@code offset} is relative to the message start. */
    private static String data(ByteBuffer message, int type, int offset, int length) throws DnsFormatException {
        int base = message.position();
        switch (type) {
            case DnsType.A, DnsType.AAAA -> {
                int expected = type == DnsType.A ? 4 : 16;
                if (length != expected) {
                    throw new DnsFormatException(DnsType.name(type) + " record with " + length + " bytes of data");
                }
                return address(message, base + offset, length);
            }
            case DnsType.CNAME, DnsType.NS, DnsType.PTR -> {
                return nameWithin(message, offset, offset + length);
            }
            case DnsType.MX -> {
                if (length < 3) {
                    throw new DnsFormatException("MX record with " + length + " bytes of data");
                }
                int preference = message.getShort(base + offset) & 0xffff;
                return preference + " " + nameWithin(message, offset + 2, offset + length);
            }
            case DnsType.TXT -> {
                return characterStrings(message, base + offset, length);
            }
            default -> {
                return unknown(message, base + offset, length);
            }
        }
    }

    /** A name that must end inside its record's data. */
    private static String nameWithin(ByteBuffer message, int offset, int end) throws DnsFormatException {
        DnsName.Read name = DnsName.read(message, offset);
        if (name.end() > end) {
            throw new DnsFormatException("name runs past the end of its record");
        }
        return name.name();
    }

    private static String address(ByteBuffer message, int from, int length) {
        byte[] bytes = new byte[length];
        message.get(from, bytes);
        return IpAddress.fromBytes(bytes).toString();
    }

    /** TXT data: length-prefixed strings, shown quoted with odd bytes escaped as in zone files. */
    private static String characterStrings(ByteBuffer message, int from, int length) throws DnsFormatException {
        StringBuilder text = new StringBuilder();
        int cursor = 0;
        while (cursor < length) {
            int stringLength = message.get(from + cursor) & 0xff;
            if (cursor + 1 + stringLength > length) {
                throw new DnsFormatException("TXT string runs past the end of its record");
            }
            text.append(text.length() > 0 ? " \"" : "\"");
            for (int i = 0; i < stringLength; i++) {
                int octet = message.get(from + cursor + 1 + i) & 0xff;
                if (octet == '"' || octet == '\\') {
                    text.append('\\').append((char) octet);
                } else if (octet < 0x20 || octet >= 0x7f) {
                    text.append(String.format("\\%03d", octet));
                } else {
                    text.append((char) octet);
                }
            }
            text.append('"');
            cursor += 1 + stringLength;
        }
        return text.toString();
    }

    /** RFC 3597's generic form, "\# 3 abcdef", with long data cut to keep a line short. */
    private static String unknown(ByteBuffer message, int from, int length) {
        byte[] bytes = new byte[Math.min(length, MAX_DATA_HEX_BYTES)];
        message.get(from, bytes);
        String hex = HexFormat.of().formatHex(bytes) + (length > bytes.length ? "..." : "");
        return length == 0 ? "\\# 0" : "\\# " + length + " " + hex;
    }
}
