package dev.httptap.dns;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The one name httptap answers itself (the host alias, e.g. {@code host.httptap.local}): A queries get the
 * alias address, every other type an empty NOERROR answer (NODATA), because the name exists but has only
 * an IPv4 address. Everything else is left to the real resolvers.
 */
public final class LocalZone {
    /** Short, so that a later run with another alias address is not shadowed by a cache for long. */
    static final int TTL_SECONDS = 60;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int OPCODE_MASK = 0x7800;
    private static final int POINTER_TO_FIRST_QUESTION = 0xc000 | DnsMessage.HEADER_LENGTH;

    private final String name;
    private final byte[] address;

    public LocalZone(String name, Inet4Address address) {
        this.name = name;
        this.address = address.getAddress();
    }

    /** True if this query is a standard query for the local name, which {@link #answer} then answers. */
    public boolean owns(DnsMessage query) {
        return !query.isResponse()
                && query.opcode() == 0
                && query.questions().size() == 1
                && query.questions().get(0).name().equalsIgnoreCase(name);
    }

    /** The answer to a query {@link #owns} accepted: same ID and question, an A record or NODATA. */
    public ByteBuffer answer(DnsMessage query) {
        DnsQuestion question = query.questions().get(0);
        boolean hasAddress = question.type() == DnsQuestion.TYPE_A && question.dnsClass() == DnsQuestion.CLASS_IN;
        byte[] headerAndQuestion = query.headerAndQuestions();
        ByteBuffer reply = ByteBuffer.allocate(headerAndQuestion.length + (hasAddress ? 16 : 0));
        reply.put(headerAndQuestion);
        int flags = FLAG_QR | FLAG_AA | FLAG_RA | (query.flags() & (OPCODE_MASK | FLAG_RD));
        reply.putShort(2, (short) flags);
        reply.putShort(6, (short) (hasAddress ? 1 : 0)); // answers
        reply.putShort(8, (short) 0); // authority records
        reply.putShort(10, (short) 0); // additional records: an EDNS query may get a reply without OPT
        if (hasAddress) {
            reply.putShort((short) POINTER_TO_FIRST_QUESTION)
                    .putShort((short) DnsQuestion.TYPE_A)
                    .putShort((short) DnsQuestion.CLASS_IN)
                    .putInt(TTL_SECONDS)
                    .putShort((short) address.length)
                    .put(address);
        }
        return reply.flip();
    }
}
