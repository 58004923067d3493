package dev.httptap.sink.har;

import dev.httptap.body.BodyDecoder;
import dev.httptap.sink.BodyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a recorded body appears in the HAR: decoded from its Content-Encoding (gzip, deflate, br, zstd,
 * stacked) when the whole of it was kept; as text or in base64 by {@link BodyKind} (the bytes decide, valid
 * in their charset or not, when the type does not: UTF-8 unless the Content-Type says otherwise); at most
 * {@code limit} bytes of it, with a comment saying what is missing. Decoding reads at most {@code limit + 1}
 * decoded bytes, so a decompression bomb costs no more than an ordinary body.
 *
 * @param size        the length of the content: decoded, when it was content-coded and its decoded length is known
 * @param shownBytes  how many bytes the HAR carries
 * @param decodedFrom the Content-Encoding values the shown bytes were decoded from, or null when shown as sent
 * @param charset     the charset of the text, or null when the bytes go out in base64
 * @param comment     what the HAR does not carry, or null
 */
record BodyView(BodyRecorder body, long size, long shownBytes, List<String> decodedFrom, Charset charset, String comment) {
    private static final int BUFFER = 16 * 1024;

    /**
     * {@code decodedLength}: the body's decoded length when it was measured as it streamed (a response's);
     * {@code notDecoded}: why it could not be decoded, when that is known already.
     */
    static BodyView of(BodyRecorder body, String contentType, List<String> contentEncoding, OptionalLong decodedLength,
            Optional<String> notDecoded, long limit) throws IOException {
        Charset charset = charsetOf(contentType);
        BodyKind kind = BodyKind.of(Optional.ofNullable(contentType).filter(type -> !type.isEmpty()));
        String comment = body.failure();
        boolean coded = BodyDecoder.undoes(contentEncoding);
        if (coded && notDecoded.isEmpty() && !body.isTruncated() && body.totalBytes() > 0 && comment == null) {
            try {
                Scan scan = scan(BodyDecoder.decoding(body.open(), contentEncoding).orElseThrow(), limit, charset, kind);
                long size = decodedLength.orElse(scan.length);
                boolean whole = scan.length <= limit;
                long shown = Math.min(scan.length, limit);
                if (whole || decodedLength.isPresent()) {
                    return new BodyView(body, size, shown, contentEncoding, scan.text ? charset : null,
                            size > shown ? truncated(shown, size) : null);
                }
                comment = "the decoded length was not measured; size is as sent";
            } catch (IOException | RuntimeException e) {
                // The brotli and zstd decoders report corrupt input with their own runtime exceptions.
                comment = "the body could not be decoded (" + e.getMessage() + "); shown as sent";
            }
        } else if (coded && notDecoded.isEmpty() && body.totalBytes() > 0 && comment == null) {
            comment = "too large to decode; shown as sent, " + String.join(", ", contentEncoding) + "-encoded";
        }
        if (notDecoded.isPresent()) {
            comment = join(comment, notDecoded.get() + "; shown as sent");
        }
        Scan scan = scan(body.open(), limit, charset, coded ? BodyKind.BY_BYTES : kind);
        if (body.isTruncated() && body.failure() == null) {
            comment = join(comment, truncated(body.storedBytes(), body.totalBytes()));
        }
        long size = notDecoded.isEmpty() ? decodedLength.orElse(body.totalBytes()) : body.totalBytes();
        return new BodyView(body, size, body.storedBytes(), null, scan.text ? charset : null, comment);
    }

    /** The bytes to show, from the start; the caller reads at most {@link #shownBytes()}. */
    InputStream open() throws IOException {
        InputStream raw = body.open();
        return decodedFrom == null ? raw : BodyDecoder.decoding(raw, decodedFrom).orElseThrow();
    }

    /** The shown bytes as text; a character cut by the limit, or a malformed one, becomes U+FFFD. */
    Reader openText() throws IOException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(new BoundedInputStream(open(), shownBytes), decoder);
    }

    /** {@code length}: bytes read, at most {@code limit + 1}; {@code text}: whether to show them as text. */
    private record Scan(long length, boolean text) {}

    /** Reads at most {@code limit + 1} bytes and, when the kind leaves it to the bytes, checks they are text. */
    private static Scan scan(InputStream in, long limit, Charset charset, BodyKind kind) throws IOException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer sink = CharBuffer.allocate(BUFFER + 16);
        ByteBuffer pending = ByteBuffer.allocate(BUFFER + 16);
        byte[] buffer = new byte[BUFFER];
        long length = 0;
        boolean text = kind != BodyKind.BINARY;
        try (InputStream bounded = new BoundedInputStream(in, limit + 1)) {
            for (int n; (n = bounded.read(buffer)) != -1; ) {
                int checked = (int) Math.max(0, Math.min(n, limit - length));
                length += n;
                if (kind == BodyKind.BY_BYTES && text && checked > 0) {
                    pending.put(buffer, 0, checked).flip();
                    text = !decoder.decode(pending, sink.clear(), false).isError();
                    pending.compact();
                }
            }
        }
        if (kind == BodyKind.BY_BYTES && text && length <= limit) {
            // The whole body was checked: a character left unfinished at the end is not text.
            text = !decoder.decode(pending.flip(), sink.clear(), true).isError() && !pending.hasRemaining();
        }
        return new Scan(length, text);
    }

    private static Charset charsetOf(String contentType) {
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                String[] pair = parameter.strip().split("=", 2);
                if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                    try {
                        return Charset.forName(pair[1].strip().replace("\"", ""));
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String truncated(long shown, long total) {
        return "truncated: the first " + shown + " of " + total + " bytes (--har-max-body)";
    }

    private static String join(String first, String second) {
        return first == null ? second : first + "; " + second;
    }
}
