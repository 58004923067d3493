package dev.httptap.dns;

/** A DNS message that cannot be parsed: too short, a bad name, a compression loop. */
public final class DnsFormatException extends Exception {
    public DnsFormatException(String message) {
        super(message);
    }
}
