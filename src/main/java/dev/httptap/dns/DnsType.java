package dev.httptap.dns;

/** Names of DNS record types (RFC 1035 and later) for display; unknown types read "TYPE65280" (RFC 3597). */
public final class DnsType {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int SRV = 33;
    public static final int SVCB = 64;
    public static final int HTTPS = 65;
    public static final int ANY = 255;

    private DnsType() {}

    public static String name(int type) {
        return switch (type) {
            case A -> "A";
            case NS -> "NS";
            case CNAME -> "CNAME";
            case SOA -> "SOA";
            case PTR -> "PTR";
            case MX -> "MX";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case SRV -> "SRV";
            case SVCB -> "SVCB";
            case HTTPS -> "HTTPS";
            case ANY -> "ANY";
            default -> "TYPE" + type;
        };
    }

    /** Response code names (RFC 1035 4.1.1, RFC 6895); unknown codes read "RCODE12". */
    public static String responseCodeName(int code) {
        return switch (code) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            default -> "RCODE" + code;
        };
    }
}
