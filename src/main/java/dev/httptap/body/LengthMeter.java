package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Counts the decoded length of one content-coded body as it arrives, keeping none of it: each chunk is
 * decoded, counted and dropped, so memory is the decoders' windows whatever the body's size. Decoding stops
 * (and the length is not known) once the body expands more than {@link #MAX_EXPANSION} times past
 * {@link #FREE_BYTES}: a decompression bomb then costs at most that much work per byte received. Made by
 * {@link BodyDecoder#meter}; used by one thread at a time.
 */
public final class LengthMeter {
    /** Decoded bytes always counted, whatever the ratio. */
    public static final long FREE_BYTES = 16L << 20;
    /** Beyond {@link #FREE_BYTES}, decoded bytes counted per byte received. */
    public static final int MAX_EXPANSION = 256;

    private final StageChain chain;
    private final String codingNames;
    private final String notDecoded;
    private long encodedBytes;
    private long decodedBytes;
    private boolean bomb;
    /** Why the rest of the body never came here (see {@link #abandon}), or null. */
    private String abandoned;

    /** A meter that decodes {@code stages} (the last-applied coding first). */
    LengthMeter(List<DecodingStage> stages, String codingNames) {
        this.codingNames = codingNames;
        this.notDecoded = null;
        this.chain = new StageChain(stages, codingNames, this::count);
    }

    /** A meter for a body that is not decoded at all, for the reason given (e.g. "not decodable as compress"). */
    LengthMeter(String notDecoded) {
        this.codingNames = "";
        this.notDecoded = notDecoded;
        this.chain = null;
    }

    public void append(ByteBuffer data) {
        encodedBytes += data.remaining();
        if (chain != null) {
            chain.feed(data);
        }
    }

    /**
     * The body ended ({@code complete}: as its framing said; otherwise cut short, and a coded stream that
     * stops early is then no failure). After it, {@link #decodedBytes()} and {@link #problem()} are final.
     */
    public void end(boolean complete) {
        if (chain != null && abandoned == null && encodedBytes > 0) { // no body at all (HEAD, 304) is no coded stream
            chain.end(complete);
        }
    }

    /**
     * Instead of {@link #end}: the rest of the body will not come here, for {@code reason} (short, as
     * "the decoder fell behind"), so its decoded length is not known. Final, as after {@code end}.
     */
    public void abandon(String reason) {
        abandoned = reason;
    }

    /** True unless the body is not decoded at all (a coding httptap does not know, too deep a stack). */
    public boolean decodes() {
        return chain != null;
    }

    /** The decoded length, or -1 when the body was not decoded (see {@link #problem()}). */
    public long decodedBytes() {
        return problem() == null ? decodedBytes : -1;
    }

    /** Why the decoded length is not known, short enough for the exchange's line; null when it is. */
    public String problem() {
        if (notDecoded != null) {
            return notDecoded;
        }
        if (bomb) {
            return "not decoded: " + codingNames + " expands over " + MAX_EXPANSION + "-fold";
        }
        if (chain.refusal() != null) {
            return "not decoded: " + chain.refusal();
        }
        if (chain.failure() != null) {
            return "not decodable as " + codingNames;
        }
        return abandoned == null ? null : "not decoded: " + abandoned;
    }

    /** Bytes received so far, as sent. */
    public long encodedBytes() {
        return encodedBytes;
    }

    private boolean count(ByteBuffer decoded) {
        decodedBytes += decoded.remaining();
        if (decodedBytes > FREE_BYTES && decodedBytes - FREE_BYTES > (long) MAX_EXPANSION * encodedBytes) {
            bomb = true;
            return false;
        }
        return true;
    }
}
