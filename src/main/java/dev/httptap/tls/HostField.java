package dev.httptap.tls;

import dev.httptap.policy.HostPort;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The server name of a plain HTTP/1 request from the first bytes of a connection, for the egress policy:
 * its Host field without the port. Sans-IO; reads as leniently as servers do (bare LF, any case, spaces
 * around the value).
 */
final class HostField {
    /** More than this without the end of a head, and the connection is taken as not naming its server. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Za-z]+ \\S+ HTTP/\\d\\.\\d\r?");

    /** What the bytes so far say. */
    enum Status {
        /** Not yet the whole head: wait for more. */
        INCOMPLETE,
        /** Not an HTTP/1 request, or one without a Host: it names no server. */
        NONE,
        /** The request names {@link Reading#host()}. */
        FOUND
    }

    /** {@code host} is set when {@code status} is FOUND. */
    record Reading(Status status, String host) {
        static final Reading INCOMPLETE = new Reading(Status.INCOMPLETE, null);
        static final Reading NONE = new Reading(Status.NONE, null);
    }

    private HostField() {}

    /** Reads {@code bytes} (a connection's first bytes, from its position; not changed). */
    static Reading read(ByteBuffer bytes) {
        int length = Math.min(bytes.remaining(), MAX_HEAD_BYTES);
        byte[] copy = new byte[length];
        bytes.duplicate().get(copy);
        String text = new String(copy, StandardCharsets.ISO_8859_1);
        int firstEnd = text.indexOf('\n');
        if (firstEnd < 0) {
            return length < MAX_HEAD_BYTES ? Reading.INCOMPLETE : Reading.NONE;
        }
        if (!REQUEST_LINE.matcher(text.substring(0, firstEnd)).matches()) {
            return Reading.NONE;
        }
        for (int start = firstEnd + 1, lineEnd; (lineEnd = text.indexOf('\n', start)) >= 0; start = lineEnd + 1) {
            String line = text.substring(start, lineEnd);
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.equals("\r")) {
                return Reading.NONE; // the end of the head, and no Host
            }
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("host")) {
                return HostPort.split(line.substring(colon + 1).trim()).filter(split -> !split.host().isEmpty())
                        .map(split -> new Reading(Status.FOUND, split.host()))
                        .orElse(Reading.NONE);
            }
        }
        return length < MAX_HEAD_BYTES ? Reading.INCOMPLETE : Reading.NONE;
    }
}
