package dev.httptap.http1;

import dev.httptap.event.Headers;

/** A message head split into its start line (not yet interpreted) and its header fields. */
record RawHead(String startLine, Headers headers) {
}
