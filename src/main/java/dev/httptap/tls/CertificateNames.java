package dev.httptap.tls;

import java.util.Arrays;
import java.util.Optional;

/**
 * The subject of an encoded X.509 certificate (RFC 5280 section 4.1), read by walking its DER without
 * parsing the rest: TBSCertificate is a SEQUENCE of an optional [0] version, the serial number, the signature
 * algorithm, the issuer, the validity and then the subject, each one tag-length-value. Not Bouncy Castle's
 * ASN.1 parser, which builds each whole certificate: for this machine's 144 CAs in a cold JVM it took 40-49 ms
 * of CPU against 1-2 ms for this walk, and indexing the trust store exists to save such start-up work.
 */
final class CertificateNames {
    private static final int SEQUENCE = 0x30;
    private static final int VERSION = 0xA0;

    private CertificateNames() {
    }

    /** The subject Name, encoded as in the certificate; empty when {@code certificate} is not shaped so. */
    static Optional<byte[]> subject(byte[] certificate) {
        try {
            int tbs = contentOf(certificate, 0, SEQUENCE); // Certificate
            int field = contentOf(certificate, tbs, SEQUENCE); // TBSCertificate
            if (Byte.toUnsignedInt(certificate[field]) == VERSION) {
                field = next(certificate, field);
            }
            for (int skipped = 0; skipped < 4; skipped++) { // serial, signature, issuer, validity
                field = next(certificate, field);
            }
            if (Byte.toUnsignedInt(certificate[field]) != SEQUENCE) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOfRange(certificate, field, next(certificate, field)));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Where the content of the element at {@code at} starts, which must have tag {@code tag}. */
    private static int contentOf(byte[] der, int at, int tag) {
        if (Byte.toUnsignedInt(der[at]) != tag) {
            throw new IllegalArgumentException("tag " + der[at] + " where " + tag + " was expected");
        }
        return at + 1 + lengthBytes(der, at + 1);
    }

    /** Where the element after the one at {@code at} starts. */
    private static int next(byte[] der, int at) {
        int end = at + 1 + lengthBytes(der, at + 1) + length(der, at + 1);
        if (end > der.length || end <= at) {
            throw new IllegalArgumentException("element longer than the certificate");
        }
        return end;
    }

    /** How many bytes the length at {@code at} takes: one (short form), or 1 + n (long form, n <= 4). */
    private static int lengthBytes(byte[] der, int at) {
        int first = Byte.toUnsignedInt(der[at]);
        if (first < 0x80) {
            return 1;
        }
        int count = first & 0x7F;
        if (count == 0 || count > 4) {
            throw new IllegalArgumentException("unsupported length of " + count + " bytes");
        }
        return 1 + count;
    }

    private static int length(byte[] der, int at) {
        int first = Byte.toUnsignedInt(der[at]);
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 1; i <= (first & 0x7F); i++) {
            length = (length << 8) | Byte.toUnsignedInt(der[at + i]);
        }
        if (length < 0) {
            throw new IllegalArgumentException("length beyond 2 GiB");
        }
        return length;
    }
}
