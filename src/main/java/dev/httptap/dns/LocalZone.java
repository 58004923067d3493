package dev.httptap.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * The one name httptap answers itself (the host alias, e.g. {@code host.httptap.local}): A queries get the
 * alias's IPv4 address, AAAA queries its IPv6 address when the command has IPv6, and every other type an
 * empty NOERROR answer (NODATA), because the name exists but has no such record. Everything else is left
 * to the real resolvers.
 */
public final class LocalZone {
    /** Short, so that a later run with another alias address is not shadowed by a cache for long. */
    static final int TTL_SECONDS = 60;
    private static final int POINTER_TO_FIRST_QUESTION = 0xc000 | DnsMessage.HEADER_LENGTH;
    /** Name pointer, type, class, TTL and data length before the address of a record. */
    private static final int RECORD_FIXED_BYTES = 12;

    private final String name;
    private final byte[] ipv4;
    private final byte[] ipv6;

    /** IPv4 only: AAAA queries get NODATA. */
    public LocalZone(String name, Inet4Address ipv4) {
        this(name, ipv4, null);
    }

    /** {@code ipv6} may be null: the command has no IPv6, so AAAA queries get NODATA. */
    public LocalZone(String name, Inet4Address ipv4, Inet6Address ipv6) {
        this.name = name;
        this.ipv4 = ipv4.getAddress();
        this.ipv6 = ipv6 == null ? null : ipv6.getAddress();
    }

    /** True if this query is a standard query for the local name, which {@link #answer} then answers. */
    public boolean owns(DnsMessage query) {
        return !query.isResponse()
                && query.opcode() == 0
                && query.questions().size() == 1
                && query.questions().get(0).name().equalsIgnoreCase(name);
    }

    /** The answer to a query {@link #owns} accepted: same ID and question, an A or AAAA record or NODATA. */
    public ByteBuffer answer(DnsMessage query) {
        DnsQuestion question = query.questions().get(0);
        byte[] address = addressFor(question);
        int type = question.type();
        ByteBuffer reply = address == null ? query.startAnswer(0, 0, 0)
                : query.startAnswer(0, 1, RECORD_FIXED_BYTES + address.length);
        if (address != null) {
            reply.putShort((short) POINTER_TO_FIRST_QUESTION)
                    .putShort((short) type)
                    .putShort((short) DnsQuestion.CLASS_IN)
                    .putInt(TTL_SECONDS)
                    .putShort((short) address.length)
                    .put(address);
        }
        return reply.flip();
    }

    /** The address bytes answering this question, or null for NODATA. */
    private byte[] addressFor(DnsQuestion question) {
        if (question.dnsClass() != DnsQuestion.CLASS_IN) {
            return null;
        }
        return switch (question.type()) {
            case DnsQuestion.TYPE_A -> ipv4;
            case DnsQuestion.TYPE_AAAA -> ipv6;
            default -> null;
        };
    }
}
