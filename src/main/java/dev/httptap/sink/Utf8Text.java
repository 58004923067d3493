package dev.httptap.sink;

import dev.httptap.log.TerminalText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Deciding whether bytes read as text, and making them safe to print on a terminal. */
final class Utf8Text {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Text() {}

    /**
     * The length of {@code bytes} without a multi-byte character cut off at the end (a body cut at the print
     * limit may end in the middle of one).
     */
    static int wholeCharactersLength(byte[] bytes) {
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            int octet = bytes[bytes.length - back] & 0xff;
            if ((octet & 0xc0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int needed = octet >= 0xf0 ? 4 : octet >= 0xe0 ? 3 : octet >= 0xc0 ? 2 : 1;
            return needed > back ? bytes.length - back : bytes.length;
        }
        return bytes.length;
    }

    /** Valid UTF-8 (up to a cut-off last character) with no control characters but tab, newline, CR, FF. */
    static boolean isText(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, wholeCharactersLength(bytes)))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (TerminalText.isControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes as UTF-8 text for a terminal: CRLF becomes LF, and control characters (which could move the
     * cursor or change colours) become U+FFFD, as do malformed sequences.
     */
    static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            safe.append(TerminalText.isControl(c) && c != '\t' && c != '\n' ? REPLACEMENT : c);
        }
        return safe.toString();
    }
}
