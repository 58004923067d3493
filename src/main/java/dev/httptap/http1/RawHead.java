package dev.httptap.http1;

import dev.httptap.event.Headers;
import java.util.List;

/**
 * A message head split into its start line (not yet interpreted) and its header fields; {@code notes}
 * say what was left out or skipped on the way (usually nothing); {@code emptyLinesBefore}: the empty lines
 * skipped before the start line, which requests may have and responses may not.
 */
record RawHead(String startLine, Headers headers, List<String> notes, int emptyLinesBefore) {
    RawHead(String startLine, Headers headers, List<String> notes) {
        this(startLine, headers, notes, 0);
    }

    RawHead afterEmptyLines(int count) {
        return count == emptyLinesBefore ? this : new RawHead(startLine, headers, notes, count);
    }
}
