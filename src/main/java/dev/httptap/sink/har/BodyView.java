package dev.httptap.sink.har;

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
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * How a recorded body appears in the HAR: decoded from gzip or deflate when the whole of it was kept,
 * as text when its bytes are valid in their charset (UTF-8 unless the Content-Type says otherwise),
 * otherwise in base64; at most {@code limit} bytes of it, with a comment saying what is missing.
 *
 * @param size        the length of the content (decoded, when it was decoded)
 * @param shownBytes  how many of those bytes the HAR carries
 * @param decodedFrom the content coding the shown bytes were decoded from (gzip, deflate), or null when shown as sent
 * @param charset     the charset of the text, or null when the bytes go out in base64
 * @param comment     what the HAR does not carry, or null
 */
record BodyView(BodyRecorder body, long size, long shownBytes, String decodedFrom, Charset charset, String comment) {
    private static final int BUFFER = 16 * 1024;

    static BodyView of(BodyRecorder body, String contentType, String contentEncoding, long limit) throws IOException {
        Charset charset = charsetOf(contentType);
        String coding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        boolean decodable = coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("deflate");
        String comment = body.failure();
        if (decodable && !body.isTruncated() && body.totalBytes() > 0 && comment == null) {
            try {
                Scan scan = scan(decoding(body.open(), coding), limit, charset);
                return new BodyView(body, scan.length, Math.min(scan.length, limit), coding, scan.text ? charset : null,
                        scan.length > limit ? truncated(limit, scan.length) : null);
            } catch (IOException e) {
                comment = "the " + coding + " body could not be decoded (" + e.getMessage() + "); shown as sent";
            }
        } else if (decodable && body.totalBytes() > 0 && comment == null) {
            comment = "too large to decode; shown as sent, " + coding + "-encoded";
        }
        Scan scan = scan(body.open(), limit, charset);
        if (body.isTruncated() && body.failure() == null) {
            comment = join(comment, truncated(body.storedBytes(), body.totalBytes()));
        }
        return new BodyView(body, body.totalBytes(), body.storedBytes(), null, scan.text ? charset : null, comment);
    }

    /** The bytes to show, from the start; the caller reads at most {@link #shownBytes()}. */
    InputStream open() throws IOException {
        InputStream raw = body.open();
        return decodedFrom == null ? raw : decoding(raw, decodedFrom);
    }

    /** The shown bytes as text; a character cut by the limit becomes U+FFFD. */
    Reader openText() throws IOException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(new BoundedInputStream(open(), shownBytes), decoder);
    }

    private static InputStream decoding(InputStream raw, String coding) throws IOException {
        return coding.equals("deflate") ? new InflaterInputStream(raw) : new GZIPInputStream(raw, BUFFER);
    }

    private record Scan(long length, boolean text) {}

    /** Counts every byte, and checks whether the first {@code limit} are text in {@code charset}. */
    private static Scan scan(InputStream in, long limit, Charset charset) throws IOException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer sink = CharBuffer.allocate(BUFFER + 16);
        ByteBuffer pending = ByteBuffer.allocate(BUFFER + 16);
        byte[] buffer = new byte[BUFFER];
        long length = 0;
        boolean text = true;
        try (in) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                int checked = (int) Math.max(0, Math.min(n, limit - length));
                length += n;
                if (text && checked > 0) {
                    pending.put(buffer, 0, checked).flip();
                    text = !decoder.decode(pending, sink.clear(), false).isError();
                    pending.compact();
                }
            }
        }
        if (text && length <= limit) {
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
