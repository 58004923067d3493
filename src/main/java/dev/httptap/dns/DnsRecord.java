package dev.httptap.dns;

/**
 * One resource record of an answer section. {@code data} is the record's data in zone-file style: an
 * address for A and AAAA, a name for CNAME, NS and PTR, "10 mail.example" for MX, quoted strings for TXT,
 * and "\# N" plus hex for any other type (RFC 3597).
 */
public record DnsRecord(String name, int type, int dnsClass, long ttl, String data) {
    /** "A 169.254.77.65", "CNAME example.net". */
    @Override
    public String toString() {
        return DnsType.name(type) + " " + data;
    }
}
