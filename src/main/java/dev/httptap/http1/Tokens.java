package dev.httptap.http1;

/** RFC 9110 token characters, as used by methods and field names. */
final class Tokens {
    private static final String SYMBOLS = "!#$%&'*+-.^_`|~";

    private Tokens() {}

    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SYMBOLS.indexOf(c) >= 0;
    }
}
