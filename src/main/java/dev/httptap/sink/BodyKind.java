package dev.httptap.sink;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a body is text, by its Content-Type: the one rule for {@code --body} (text, or a hex preview) and
 * the HAR (text, or base64). A textual media type is text even when its bytes are not valid (they show
 * replaced); any other declared type is binary even when its bytes happen to be valid UTF-8 (an image is
 * not text); with no type, or one that says the server does not know ({@code application/octet-stream}) or
 * holds parts of any kind ({@code multipart/*}), the bytes decide.
 */
public enum BodyKind {
    TEXT,
    BINARY,
    BY_BYTES;

    public static BodyKind of(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return BY_BYTES;
        }
        String type = contentType.get().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.equals("application/octet-stream") || type.startsWith("multipart/")) {
            return BY_BYTES;
        }
        boolean textual = type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("javascript") || type.contains("ecmascript") || type.contains("x-www-form-urlencoded")
                || type.contains("yaml") || type.contains("csv") || type.contains("graphql");
        return textual ? TEXT : BINARY;
    }
}
