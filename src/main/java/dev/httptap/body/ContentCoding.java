package dev.httptap.body;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import io.airlift.compress.zstd.ZstdInputStream;
import org.brotli.dec.BrotliInputStream;

/** The content codings httptap can undo (RFC 9110 8.4.1), each as a decoding stream over its input. */
public enum ContentCoding {
    GZIP("gzip"),
    DEFLATE("deflate"),
    BROTLI("br"),
    ZSTD("zstd");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** The name used in Content-Encoding. */
    public String token() {
        return token;
    }

    /** The coding named {@code token} (any case; "x-gzip" is gzip), or empty when httptap cannot undo it. */
    public static Optional<ContentCoding> forToken(String token) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (name.equals("x-gzip")) {
            return Optional.of(GZIP);
        }
        for (ContentCoding coding : values()) {
            if (coding.token.equals(name)) {
                return Optional.of(coding);
            }
        }
        return Optional.empty();
    }

    /** A decoder fed as bytes arrive. */
    DecodingStage stage() {
        return switch (this) {
            case GZIP -> new GzipStage();
            case DEFLATE -> new DeflateStage();
            case BROTLI -> new BrotliStage();
            case ZSTD -> new ZstdStage();
        };
    }

    /**
     * A stream of the decoded bytes of {@code encoded}. The input is buffered because brotli's decoder
     * (0.1.2) loses its output when a single-byte read is followed by a bulk read, which is how the gzip
     * decoder reads a stacked coding beneath it.
     */
    InputStream decoding(InputStream encoded) throws IOException {
        return decoder(new BufferedInputStream(encoded));
    }

    private InputStream decoder(InputStream encoded) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(encoded);
            case DEFLATE -> inflating(encoded);
            case BROTLI -> new BrotliInputStream(encoded);
            case ZSTD -> new ZstdInputStream(encoded);
        };
    }

    /** "deflate" zlib-wrapped or raw, told apart as {@link DeflateStage} does. */
    private static InputStream inflating(InputStream encoded) throws IOException {
        PushbackInputStream peekable = new PushbackInputStream(encoded, 2);
        int first = peekable.read();
        int second = first < 0 ? -1 : peekable.read();
        if (second >= 0) {
            peekable.unread(second);
        }
        if (first >= 0) {
            peekable.unread(first);
        }
        boolean zlib = second >= 0 && DeflateStage.isZlibHeader(first, second);
        return new InflaterInputStream(peekable, new Inflater(!zlib));
    }
}
