package dev.httptap.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the certificates of a JKS key store (the format of Debian's and OpenJDK's {@code cacerts}), and adds
 * one to its bytes, both without parsing the certificates in it: parsing the JDK's ~140 CAs costs tens of
 * milliseconds of CPU in a cold JVM, while the child starts or before its first TLS connection is checked.
 *
 * <p>The format: the magic number, version 2, the entry count, the entries, then a SHA-1 digest over the
 * password (UTF-16BE), the words "Mighty Aphrodite" and everything before it. A trusted certificate entry is
 * its tag (2), its alias and creation time, the certificate type and the encoded certificate.
 */
final class JksTrustStore {
    private static final int MAGIC = 0xFEEDFEED;
    private static final int VERSION = 2;
    private static final int TRUSTED_CERTIFICATE = 2;
    private static final int COUNT_OFFSET = 8;
    private static final int HEADER_LENGTH = 12;
    private static final int DIGEST_LENGTH = 20;
    private static final byte[] DIGEST_SALT = "Mighty Aphrodite".getBytes(StandardCharsets.UTF_8);

    private JksTrustStore() {
    }

    /**
     * {@code store} with {@code certificate} (DER) added under {@code alias}, its digest made anew with
     * {@code password}; empty when {@code store} is not a version-2 JKS whose digest checks with that password.
     */
    static Optional<byte[]> withTrustedCertificate(byte[] store, char[] password, String alias, byte[] certificate,
            long createdMillis) {
        if (store.length < HEADER_LENGTH + DIGEST_LENGTH) {
            return Optional.empty();
        }
        ByteBuffer header = ByteBuffer.wrap(store);
        int contentLength = store.length - DIGEST_LENGTH;
        if (header.getInt(0) != MAGIC || header.getInt(4) != VERSION
                || !Arrays.equals(digest(password, store, contentLength), 0, DIGEST_LENGTH,
                        store, contentLength, store.length)) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(store.length + certificate.length + 64);
        bytes.write(store, 0, contentLength);
        try (DataOutputStream entry = new DataOutputStream(bytes)) {
            entry.writeInt(TRUSTED_CERTIFICATE);
            entry.writeUTF(alias);
            entry.writeLong(createdMillis);
            entry.writeUTF("X.509");
            entry.writeInt(certificate.length);
            entry.write(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] result = Arrays.copyOf(bytes.toByteArray(), bytes.size() + DIGEST_LENGTH);
        ByteBuffer.wrap(result).putInt(COUNT_OFFSET, header.getInt(COUNT_OFFSET) + 1);
        System.arraycopy(digest(password, result, bytes.size()), 0, result, bytes.size(), DIGEST_LENGTH);
        return Optional.of(result);
    }

    /**
     * The encoded certificates of a version-2 JKS store holding trusted certificates only, as stored (not
     * parsed); empty for any other store. The digest is not checked, as the JDK does not check it when it
     * loads its trust store without a password.
     */
    static Optional<List<byte[]>> trustedCertificates(byte[] store) {
        ByteBuffer in = ByteBuffer.wrap(store);
        try {
            if (in.getInt() != MAGIC || in.getInt() != VERSION) {
                return Optional.empty();
            }
            int count = in.getInt();
            List<byte[]> certificates = new ArrayList<>(Math.max(0, Math.min(count, 4096)));
            for (int i = 0; i < count; i++) {
                if (in.getInt() != TRUSTED_CERTIFICATE) {
                    return Optional.empty();
                }
                skipUtf(in); // alias
                in.getLong(); // creation time
                skipUtf(in); // certificate type
                byte[] certificate = new byte[in.getInt()];
                in.get(certificate);
                certificates.add(certificate);
            }
            return Optional.of(certificates);
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            return Optional.empty();
        }
    }

    /** Skips a string as DataOutput.writeUTF wrote it: its length in bytes, then those bytes. */
    private static void skipUtf(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + length);
    }

    private static byte[] digest(char[] password, byte[] content, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (char c : password) {
                sha1.update((byte) (c >> 8));
                sha1.update((byte) c);
            }
            sha1.update(DIGEST_SALT);
            sha1.update(content, 0, length);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
