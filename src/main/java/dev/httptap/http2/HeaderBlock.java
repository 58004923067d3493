package dev.httptap.http2;

import dev.httptap.event.Headers;

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
}
