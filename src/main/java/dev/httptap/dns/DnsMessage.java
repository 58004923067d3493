package dev.httptap.dns;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The header and question section of a DNS message (RFC 1035 4.1), parsed once with bounds checks. The
 * other sections are not parsed: the relay forwards them unchanged. Keeps a copy of the header and
 * questions, which is all a locally built answer needs.
 */
public final class DnsMessage {
    static final int HEADER_LENGTH = 12;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int OPCODE_MASK = 0x7800;
    private static final int RCODE_NXDOMAIN = 3;

    private final byte[] headerAndQuestions;
    private final List<DnsQuestion> questions;

    private DnsMessage(byte[] headerAndQuestions, List<DnsQuestion> questions) {
        this.headerAndQuestions = headerAndQuestions;
        this.questions = questions;
    }

    /** Parses the message from {@code message.position()} to its limit; the buffer is not changed or kept. */
    public static DnsMessage parse(ByteBuffer message) throws DnsFormatException {
        if (message.remaining() < HEADER_LENGTH) {
            throw new DnsFormatException("message shorter than a DNS header (" + message.remaining() + " bytes)");
        }
        int base = message.position();
        int questionCount = message.getShort(base + 4) & 0xffff;
        List<DnsQuestion> questions = new ArrayList<>(Math.min(questionCount, 4));
        int cursor = HEADER_LENGTH;
        for (int i = 0; i < questionCount; i++) {
            DnsName.Read name = DnsName.read(message, cursor);
            cursor = name.end();
            if (cursor + 4 > message.remaining()) {
                throw new DnsFormatException("question " + (i + 1) + " runs past the end of the message");
            }
            int type = message.getShort(base + cursor) & 0xffff;
            int dnsClass = message.getShort(base + cursor + 2) & 0xffff;
            questions.add(new DnsQuestion(name.name(), type, dnsClass));
            cursor += 4;
        }
        byte[] copy = new byte[cursor];
        message.get(base, copy);
        return new DnsMessage(copy, List.copyOf(questions));
    }

    public int id() {
        return u16(0);
    }

    public int flags() {
        return u16(2);
    }

    public boolean isResponse() {
        return (flags() & FLAG_QR) != 0;
    }

    /** 0 is a standard query. */
    public int opcode() {
        return (flags() >>> 11) & 0xf;
    }

    public boolean recursionDesired() {
        return (flags() & FLAG_RD) != 0;
    }

    /** 0 is NOERROR, 3 is NXDOMAIN. */
    public int responseCode() {
        return flags() & 0xf;
    }

    public List<DnsQuestion> questions() {
        return questions;
    }

    /** True when both messages ask the same questions in the same order (an answer matches its query). */
    public boolean sameQuestions(DnsMessage other) {
        if (questions.size() != other.questions.size()) {
            return false;
        }
        for (int i = 0; i < questions.size(); i++) {
            if (!questions.get(i).matches(other.questions.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Where the answer section starts: the length of the header and question section. */
    int questionSectionEnd() {
        return headerAndQuestions.length;
    }

    /**
     * The start of an authoritative answer to this query, with room for {@code recordBytes} more: its ID
     * and questions, QR, AA and RA set, its opcode and RD kept, {@code rcode}, and {@code answers} answer
     * records counted (none of the other sections: an EDNS query may get a reply without OPT).
     */
    ByteBuffer startAnswer(int rcode, int answers, int recordBytes) {
        ByteBuffer reply = ByteBuffer.allocate(headerAndQuestions.length + recordBytes);
        reply.put(headerAndQuestions);
        reply.putShort(2, (short) (FLAG_QR | FLAG_AA | FLAG_RA | (flags() & (OPCODE_MASK | FLAG_RD)) | rcode));
        reply.putShort(6, (short) answers);
        reply.putShort(8, (short) 0); // authority records
        reply.putShort(10, (short) 0); // additional records
        return reply;
    }

    /** NXDOMAIN for this query: the name does not exist. */
    public static ByteBuffer nxdomain(DnsMessage query) {
        return query.startAnswer(RCODE_NXDOMAIN, 0, 0).flip();
    }

    private int u16(int offset) {
        return ((headerAndQuestions[offset] & 0xff) << 8) | (headerAndQuestions[offset + 1] & 0xff);
    }

    @Override
    public String toString() {
        return "DnsMessage[id=" + id() + ", flags=0x" + Integer.toHexString(flags()) + ", questions=" + questions + "]";
    }
}
