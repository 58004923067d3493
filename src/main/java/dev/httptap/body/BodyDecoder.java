package dev.httptap.body;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Undoes a body's Content-Encoding for display, reading at most {@code printLimit + 1} decoded bytes, so a
 * small compressed body that inflates to gigabytes costs no more than a small one.
 *
 * <p>The decoders read the captured prefix of the body. When that prefix is not the whole body (the capture
 * bound was reached, or the connection ended early), running out of input is the expected end of what can
 * be shown, not a failure. Codings are undone last-applied first: {@code Content-Encoding: gzip, br} means
 * gzip, then brotli, so brotli is undone first.
 */
public final class BodyDecoder {
    /**
     * Encoded bytes kept beyond the print limit. Decoders emit output block by block, and a zstd block is at
     * most 128 KiB; twice that leaves room for headers and dictionaries before the first shown byte.
     */
    public static final int ENCODED_SLACK_BYTES = 256 * 1024;

    /** Decoders that keep answering "0 bytes" are given up on after this many calls. */
    private static final int MAX_EMPTY_READS = 16;

    private final int printLimit;

    public BodyDecoder(int printLimit) {
        if (printLimit < 0) {
            throw new IllegalArgumentException("negative print limit " + printLimit);
        }
        this.printLimit = printLimit;
    }

    /** How much of a body to capture: the print limit, plus slack when it is encoded. */
    public int captureBytes(List<String> contentEncodingValues) {
        boolean encoded = !tokens(contentEncodingValues).isEmpty();
        return encoded ? printLimit + ENCODED_SLACK_BYTES : printLimit;
    }

    /**
     * What to show of a captured body. {@code complete}: the message ended normally, so a decoder that runs
     * out of input on a whole capture found a truncated or corrupt stream.
     */
    public DecodedBody decode(BodyCapture capture, boolean complete, List<String> contentEncodingValues) {
        byte[] received = capture.bytes();
        List<String> tokens = tokens(contentEncodingValues);
        if (tokens.isEmpty()) {
            return asReceived(received, capture.totalBytes(), Optional.empty());
        }
        List<ContentCoding> codings = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            Optional<ContentCoding> coding = ContentCoding.forToken(token);
            if (coding.isEmpty()) {
                return asReceived(received, capture.totalBytes(), Optional.of("unknown content coding \"" + token + "\""));
            }
            codings.add(coding.get());
        }
        boolean prefixOnly = !complete || !capture.isWhole();
        return undo(codings, received, capture.totalBytes(), prefixOnly);
    }

    private DecodedBody undo(List<ContentCoding> codings, byte[] received, long totalBytes, boolean prefixOnly) {
        byte[] decoded = new byte[printLimit + 1];
        int length = 0;
        String codingNames = names(codings);
        try {
            InputStream in = new ByteArrayInputStream(received);
            for (int i = codings.size() - 1; i >= 0; i--) {
                in = codings.get(i).decoding(in);
            }
            int emptyReads = 0;
            while (length < decoded.length && emptyReads < MAX_EMPTY_READS) {
                int count = in.read(decoded, length, decoded.length - length);
                if (count < 0) {
                    break;
                }
                emptyReads = count == 0 ? emptyReads + 1 : 0;
                length += count;
            }
        } catch (IOException | RuntimeException e) {
            // Third-party decoders report corrupt input with their own runtime exceptions.
            if (!prefixOnly || length == 0) {
                return asReceived(received, totalBytes,
                        Optional.of("cannot decode " + codingNames + ": " + describe(e)));
            }
            return new DecodedBody(Arrays.copyOf(decoded, length), true, -1, Optional.empty());
        }
        if (length > printLimit) {
            return new DecodedBody(Arrays.copyOf(decoded, printLimit), true, -1, Optional.empty());
        }
        // The decoders stopped cleanly; bytes past the capture bound were never fed to them.
        return new DecodedBody(Arrays.copyOf(decoded, length), totalBytes > received.length, -1, Optional.empty());
    }

    private DecodedBody asReceived(byte[] received, long totalBytes, Optional<String> failure) {
        int shown = Math.min(received.length, printLimit);
        long hidden = totalBytes - shown;
        return new DecodedBody(Arrays.copyOf(received, shown), hidden > 0, hidden, failure);
    }

    /** The coding tokens of every Content-Encoding field, in order, without "identity". */
    private static List<String> tokens(List<String> contentEncodingValues) {
        List<String> tokens = new ArrayList<>(2);
        for (String value : contentEncodingValues) {
            for (String token : value.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("identity")) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    private static String names(List<ContentCoding> codings) {
        List<String> names = new ArrayList<>(codings.size());
        codings.forEach(coding -> names.add(coding.token()));
        return String.join(", ", names);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
