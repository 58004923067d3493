package dev.httptap.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudo-random bytes that both ends of a transfer can produce independently: the AES-128-CTR keystream
 * of a fixed key. Java streams it from the server, and a client inside the tap regenerates it with
 * {@code openssl enc}, so large transfers are checked without holding or storing them anywhere.
 */
final class DeterministicContent {
    private static final String KEY_HEX = "00112233445566778899aabbccddeeff";
    private static final String IV_HEX = "00000000000000000000000000000000";
    private static final int BLOCK = 64 * 1024;
    private static final Map<Long, String> DIGESTS = new ConcurrentHashMap<>();

    private DeterministicContent() {}

    /** Writes the first {@code length} bytes of the keystream. */
    static void writeTo(OutputStream out, long length) throws IOException {
        Cipher cipher = newCipher();
        byte[] zeros = new byte[BLOCK];
        long remaining = length;
        while (remaining > 0) {
            byte[] keystream = cipher.update(zeros, 0, (int) Math.min(BLOCK, remaining));
            out.write(keystream);
            remaining -= keystream.length;
        }
    }

    /** The SHA-256 of the first {@code length} bytes, in lower-case hex as sha256sum prints it. */
    static String sha256Hex(long length) {
        return DIGESTS.computeIfAbsent(length, DeterministicContent::computeDigest);
    }

    /** A shell pipeline that prints the same {@code length} bytes (for clients inside the tap). */
    static String shellGenerator(long length) {
        return "openssl enc -aes-128-ctr -K " + KEY_HEX + " -iv " + IV_HEX + " -in /dev/zero 2>/dev/null"
                + " | head -c " + length;
    }

    private static String computeDigest(long length) {
        MessageDigest sha256 = Sha256.newDigest();
        try (OutputStream digesting = Sha256.sink(sha256)) {
            writeTo(digesting, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static Cipher newCipher() {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(KEY_HEX), "AES"),
                    new IvParameterSpec(HexFormat.of().parseHex(IV_HEX)));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is part of every Java 17 runtime", e);
        }
    }
}
