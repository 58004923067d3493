package dev.httptap.http1;

import java.util.function.IntPredicate;

/** RFC 9110 token characters, as used by methods and field names, and the separators around tokens. */
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

    /** {@code text} without the characters {@code separator} accepts at either end. */
    static String strip(String text, IntPredicate separator) {
        int start = 0;
        int end = text.length();
        while (start < end && separator.test(text.charAt(start))) {
            start++;
        }
        while (end > start && separator.test(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
