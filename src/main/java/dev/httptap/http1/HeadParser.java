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
    /** What the reader already left out of the bytes (usually nothing). */
    private final List<String> readerNotes;
    private int omittedFields;
    private int extraFramingFields;
    private int skippedLines;
    private String firstSkipped;

    private HeadParser(List<String> readerNotes) {
        this.readerNotes = readerNotes;
    }

    /** {@code notes}: what the reader already left out of {@code bytes}. */
    static RawHead parse(byte[] bytes, int length, List<String> notes) throws Http1Exception {
        HeadParser parser = new HeadParser(notes);
        String startLine = null;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || bytes[i] == '\n') {
                int end = i;
                while (end > start && bytes[end - 1] == '\r') {
                    end--;
                }
                if (end > start && startLine == null) {
                    startLine = latin1(bytes, start, end);
                } else if (end > start) {
                    parser.line(bytes, start, end);
                }
                start = i + 1;
            }
        }
        if (startLine == null) { // the reader never ends a head before a start line
            throw new Http1Exception("a head without a start line");
        }
        return new RawHead(startLine, Headers.of(parser.fields), parser.notes());
    }

    /**
     * One field line, {@code bytes[start, end)} without its CR LF, read straight from the bytes: a String is
     * made for the name and the value only, not for the line (heads are parsed once per message).
     */
    private void line(byte[] bytes, int start, int end) throws Http1Exception {
        boolean folded = isSpace(bytes[start]);
        int colon = indexOf(bytes, start, end, (byte) ':');
        if (folded && !fields.isEmpty()) {
            unfold(bytes, start, end);
        } else if (folded || colon <= start) {
            skip(latin1(bytes, start, end)); // RFC 9112 section 2.2 lets a recipient ignore a folded first line
        } else {
            add(new Header(latin1(bytes, start, colon), trimmed(bytes, colon + 1, end)));
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
        if (omittedFields == 0 && skippedLines == 0) {
            return List.copyOf(readerNotes); // no copy for an immutable list, such as the usual empty one
        }
        List<String> notes = new ArrayList<>(readerNotes);
        if (omittedFields > 0) {
            notes.add(omittedFields + " header fields after the first " + MAX_HEADER_COUNT + " are not shown");
        }
        if (skippedLines > 0) {
            notes.add("head has " + skippedLines + " line(s) that are no header field, first "
                    + Printable.excerpt(firstSkipped));
        }
        return List.copyOf(notes);
    }

    /** A continuation of the last field kept; one of an omitted field is omitted with it. */
    private void unfold(byte[] bytes, int start, int end) {
        if (omittedFields > 0) {
            return;
        }
        Header last = fields.remove(fields.size() - 1);
        String more = trimmed(bytes, start, end);
        fields.add(new Header(last.name(), more.isEmpty() ? last.value() : last.value() + " " + more));
    }

    /** {@code bytes[start, end)} without optional whitespace (SP and HTAB) at either end. */
    private static String trimmed(byte[] bytes, int start, int end) {
        int from = start;
        int to = end;
        while (from < to && isSpace(bytes[from])) {
            from++;
        }
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        return latin1(bytes, from, to);
    }

    private static int indexOf(byte[] bytes, int start, int end, byte wanted) {
        for (int i = start; i < end; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String latin1(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }
}
