package dev.httptap.body;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A body in a coding whose decoder can only pull its input (the brotli and zstd libraries): the first
 * encoded bytes are kept, up to the print limit plus {@link #ENCODED_SLACK_BYTES}, and decoded when the body
 * ends, reading at most {@code printLimit + 1} decoded bytes. When the kept prefix is not the whole body,
 * running out of input is the expected end of what can be shown, not a failure.
 */
final class PrefixRecorder implements BodyRecorder {
    /**
     * Encoded bytes kept beyond the print limit. These decoders emit output block by block, and a zstd
     * block is at most 128 KiB; twice that leaves room for headers and tables before the first shown byte.
     */
    static final int ENCODED_SLACK_BYTES = 256 * 1024;

    /** Decoders that keep answering "0 bytes" are given up on after this many calls. */
    private static final int MAX_EMPTY_READS = 16;

    private final List<ContentCoding> codings;
    private final String codingNames;
    private final int printLimit;
    private final BodyCapture received;

    /** {@code codings}: in the order they were applied, as Content-Encoding lists them. */
    PrefixRecorder(List<ContentCoding> codings, String codingNames, int printLimit) {
        this.codings = List.copyOf(codings);
        this.codingNames = codingNames;
        this.printLimit = printLimit;
        this.received = new BodyCapture(printLimit + ENCODED_SLACK_BYTES);
    }

    @Override
    public void append(ByteBuffer data) {
        received.append(data);
    }

    @Override
    public DecodedBody result(boolean complete) {
        byte[] encoded = received.bytes();
        boolean prefixOnly = !complete || !received.isWhole();
        byte[] decoded = new byte[printLimit + 1];
        int length = 0;
        try {
            InputStream in = new ByteArrayInputStream(encoded);
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
            // The brotli and zstd libraries report corrupt input with their own runtime exceptions.
            if (!prefixOnly || length == 0) {
                return failed(e);
            }
            return DecodedBody.cutAt(decoded, length);
        }
        if (length > printLimit) {
            return DecodedBody.cutAt(decoded, printLimit);
        }
        // The decoders stopped cleanly; bytes past the capture bound were never fed to them.
        return new DecodedBody(Arrays.copyOf(decoded, length), !received.isWhole(), -1, Optional.empty());
    }

    /** Shows the first bytes as received, with the reason. */
    private DecodedBody failed(Exception e) {
        String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        byte[] bytes = received.bytes();
        byte[] shown = Arrays.copyOf(bytes, Math.min(bytes.length, printLimit));
        long hidden = received.totalBytes() - shown.length;
        return new DecodedBody(shown, hidden > 0, hidden, Optional.of("cannot decode " + codingNames + ": " + reason));
    }
}
