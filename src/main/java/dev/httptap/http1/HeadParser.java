package dev.httptap.http1;

import dev.httptap.event.Header;
import dev.httptap.event.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a complete head into its start line and header fields (RFC 9112 section 5), as leniently as
 * servers read them, because the report should show what the server got: names keep their spelling and
 * order (even with a space before the colon or characters outside the token set, which strict servers
 * answer with 400), values lose surrounding spaces and may hold any byte, obsolete line folding is joined
 * with one space. Lines that are no field at all are skipped with a note. At most
 * {@link #MAX_HEADER_COUNT} fields are kept for display, plus the framing fields after them.
 * Bytes are decoded as ISO-8859-1 so that every byte survives as one char.
 */
final class HeadParser {
    static final int MAX_HEADER_COUNT = 256;
    /** Framing fields kept beyond {@link #MAX_HEADER_COUNT}; more cannot be followed. */
    static final int MAX_EXTRA_FRAMING_FIELDS = 16;

    private final List<Header> fields = new ArrayList<>();
    private final List<String> notes;
    private int omittedFields;
    private int extraFramingFields;
    private int skippedLines;
    private String firstSkipped;

    private HeadParser(List<String> notes) {
        this.notes = new ArrayList<>(notes);
    }

    /** {@code notes}: what the reader already left out of {@code bytes}. */
    static RawHead parse(byte[] bytes, int length, List<String> notes) throws Http1Exception {
        List<String> lines = splitLines(bytes, length);
        HeadParser parser = new HeadParser(notes);
        for (int i = 1; i < lines.size(); i++) {
            parser.line(lines.get(i));
        }
        return new RawHead(lines.get(0), Headers.of(parser.fields), parser.notes());
    }

    private void line(String line) throws Http1Exception {
        boolean folded = line.charAt(0) == ' ' || line.charAt(0) == '\t';
        int colon = line.indexOf(':');
        if (folded && !fields.isEmpty()) {
            unfold(line);
        } else if (folded || colon <= 0) {
            skip(line); // RFC 9112 section 2.2 lets a recipient ignore a folded first line
        } else {
            add(new Header(line.substring(0, colon), trim(line.substring(colon + 1))));
        }
    }

    private void add(Header field) throws Http1Exception {
        if (fields.size() - extraFramingFields < MAX_HEADER_COUNT) {
            fields.add(field);
        } else if (FramingRules.isFramingField(field.name().trim().toLowerCase(Locale.ROOT))) {
            if (++extraFramingFields > MAX_EXTRA_FRAMING_FIELDS) {
                throw new Http1Exception("more than " + MAX_EXTRA_FRAMING_FIELDS + " framing fields after the first "
                        + MAX_HEADER_COUNT + " fields");
            }
            fields.add(field);
        } else {
            omittedFields++;
        }
    }

    private void skip(String line) {
        if (skippedLines++ == 0) {
            firstSkipped = line;
        }
    }

    private List<String> notes() {
        if (omittedFields > 0) {
            notes.add(omittedFields + " header fields after the first " + MAX_HEADER_COUNT + " are not shown");
        }
        if (skippedLines > 0) {
            notes.add("head has " + skippedLines + " line(s) that are no header field, first "
                    + Printable.excerpt(firstSkipped));
        }
        return List.copyOf(notes);
    }

    /** Lines without their CR LF; the head ends just before its blank line, so none is empty but by folding. */
    private static List<String> splitLines(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || bytes[i] == '\n') {
                int end = i;
                while (end > start && bytes[end - 1] == '\r') {
                    end--;
                }
                if (end > start) {
                    lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** A continuation of the last field kept; one of an omitted field is omitted with it. */
    private void unfold(String continuation) {
        if (omittedFields > 0) {
            return;
        }
        Header last = fields.remove(fields.size() - 1);
        String more = trim(continuation);
        fields.add(new Header(last.name(), more.isEmpty() ? last.value() : last.value() + " " + more));
    }

    /** Strips optional whitespace (SP and HTAB) from both ends. */
    private static String trim(String value) {
        return Tokens.strip(value, HeadParser::isSpace);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t';
    }
}
