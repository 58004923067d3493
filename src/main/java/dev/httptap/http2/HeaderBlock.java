package dev.httptap.http2;

import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded header block. A request has a method, scheme, authority and path (from the pseudo-header
 * fields; authority and path may be empty, as for CONNECT), a response has a status, and trailers have
 * neither. {@code fields} are the regular fields, in wire order, without the pseudo-header fields.
 */
record HeaderBlock(Kind kind, String method, String scheme, String authority, String path, int status,
        Headers fields) {
    enum Kind { REQUEST, RESPONSE, TRAILERS }

    static HeaderBlock request(String method, String scheme, String authority, String path, Headers fields) {
        return new HeaderBlock(Kind.REQUEST, method, scheme, authority, path, 0, fields);
    }

    static HeaderBlock response(int status, Headers fields) {
        return new HeaderBlock(Kind.RESPONSE, "", "", "", "", status, fields);
    }

    static HeaderBlock trailers(Headers fields) {
        return new HeaderBlock(Kind.TRAILERS, "", "", "", "", 0, fields);
    }

    /**
     * The fields as the user is shown them, like browsers' HAR exports: the pseudo-header fields first
     * ({@code :method: GET}), then the regular fields in wire order. HPACK decoding does not keep the order
     * of the pseudo-header fields among themselves, so they come in the order RFC 9113 section 8.3 lists
     * them; those the message did not carry (a CONNECT's scheme and path) are left out.
     */
    Headers withPseudoHeaders() {
        if (kind == Kind.TRAILERS) {
            return fields; // trailers have no pseudo-header fields
        }
        List<Header> shown = new ArrayList<>(fields.size() + 4);
        if (kind == Kind.RESPONSE) {
            shown.add(new Header(":status", Integer.toString(status)));
        } else {
            addUnlessEmpty(shown, ":method", method);
            addUnlessEmpty(shown, ":scheme", scheme);
            addUnlessEmpty(shown, ":authority", authority);
            addUnlessEmpty(shown, ":path", path);
        }
        shown.addAll(fields.asList());
        return Headers.of(shown);
    }

    private static void addUnlessEmpty(List<Header> shown, String name, String value) {
        if (!value.isEmpty()) {
            shown.add(new Header(name, value));
        }
    }
}
