package dev.httptap.http2;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A SETTINGS frame's payload: entries of a 16-bit identifier and a 32-bit value (RFC 9113 section 6.5.1), read
 * from the buffer's position to its limit. One identifier may come more than once; the last one counts.
 */
final class SettingsPayload {
    static final int HEADER_TABLE_SIZE = 0x1;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    /** The size of one entry: a payload's length is a multiple of it. */
    static final int ENTRY_BYTES = 6;

    private SettingsPayload() {}

    /** The values given to {@code identifier}, in order; usually none or one. */
    static long[] values(ByteBuffer settings, int identifier) {
        long[] values = new long[0];
        for (int at = settings.position(); at + ENTRY_BYTES <= settings.limit(); at += ENTRY_BYTES) {
            if ((settings.getShort(at) & 0xffff) == identifier) {
                values = Arrays.copyOf(values, values.length + 1);
                values[values.length - 1] = settings.getInt(at + 2) & 0xffff_ffffL;
            }
        }
        return values;
    }
}
