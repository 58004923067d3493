package dev.httptap.http1;

import dev.httptap.event.Headers;
import java.util.List;

/**
 * A message head split into its start line (not yet interpreted) and its header fields; {@code notes}
 * say what was left out or skipped on the way (usually nothing).
 */
record RawHead(String startLine, Headers headers, List<String> notes) {
}
