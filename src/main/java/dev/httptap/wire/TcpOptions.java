package dev.httptap.wire;

import java.nio.ByteBuffer;

/**
 * The TCP options this stack uses: MSS (RFC 9293), window scale and timestamps (RFC 7323), SACK-permitted
 * (RFC 2018). SACK blocks, NOP/EOL padding and unknown kinds are skipped when parsing. Absent values are
 * {@link #NO_MSS} and {@link #NO_WINDOW_SCALE}; timestamps are meaningful only when {@code timestamps}.
 * Values are what the packet says (an MSS of 0, a window scale of 255), so a dump shows them; the stack
 * decides what to make of absurd ones.
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted,
                         boolean timestamps, int timestampValue, int timestampEcho) {
    public static final int NO_MSS = -1;
    public static final int NO_WINDOW_SCALE = -1;
    public static final TcpOptions NONE = new TcpOptions(NO_MSS, NO_WINDOW_SCALE, false, false, 0, 0);

    private static final int KIND_END = 0;
    private static final int KIND_NOP = 1;
    private static final int KIND_MSS = 2;
    private static final int KIND_WINDOW_SCALE = 3;
    private static final int KIND_SACK_PERMITTED = 4;
    private static final int KIND_TIMESTAMPS = 8;
    private static final int MSS_LENGTH = 4;
    private static final int WINDOW_SCALE_LENGTH = 3;
    private static final int SACK_PERMITTED_LENGTH = 2;
    private static final int TIMESTAMPS_LENGTH = 10;
    /** RFC 7323: a shift above 14 is treated as 14 (by the stack, which uses it). */
    public static final int MAX_WINDOW_SCALE = 14;

    /** Only the timestamps option, as carried by every segment after the handshake. */
    public static TcpOptions timestamps(int value, int echo) {
        return new TcpOptions(NO_MSS, NO_WINDOW_SCALE, false, true, value, echo);
    }

    /** Reads the options in {@code [from, to)} (absolute indices of a big-endian buffer). */
    public static TcpOptions parse(ByteBuffer buffer, int from, int to) throws MalformedPacketException {
        int mss = NO_MSS;
        int windowScale = NO_WINDOW_SCALE;
        boolean sackPermitted = false;
        boolean timestamps = false;
        int timestampValue = 0;
        int timestampEcho = 0;
        int index = from;
        while (index < to) {
            int kind = buffer.get(index) & 0xFF;
            if (kind == KIND_END) {
                break;
            }
            if (kind == KIND_NOP) {
                index++;
                continue;
            }
            if (index + 1 >= to) {
                throw new MalformedPacketException(Malformation.BAD_OPTION, "TCP");
            }
            int length = buffer.get(index + 1) & 0xFF;
            if (length < 2 || index + length > to) {
                throw new MalformedPacketException(Malformation.BAD_OPTION, "TCP");
            }
            // An option with the wrong length for its kind is ignored, as Linux does.
            if (kind == KIND_MSS && length == MSS_LENGTH) {
                mss = buffer.getShort(index + 2) & 0xFFFF;
            } else if (kind == KIND_WINDOW_SCALE && length == WINDOW_SCALE_LENGTH) {
                windowScale = buffer.get(index + 2) & 0xFF;
            } else if (kind == KIND_SACK_PERMITTED && length == SACK_PERMITTED_LENGTH) {
                sackPermitted = true;
            } else if (kind == KIND_TIMESTAMPS && length == TIMESTAMPS_LENGTH) {
                timestamps = true;
                timestampValue = buffer.getInt(index + 2);
                timestampEcho = buffer.getInt(index + 6);
            }
            index += length;
        }
        return new TcpOptions(mss, windowScale, sackPermitted, timestamps, timestampValue, timestampEcho);
    }

    /** Bytes {@link #emit} writes: a multiple of four. */
    public int length() {
        int length = 0;
        if (mss != NO_MSS) {
            length += 4;
        }
        if (sackPermitted || timestamps) {
            length += timestamps ? 12 : 4;
        }
        if (windowScale != NO_WINDOW_SCALE) {
            length += 4;
        }
        return length;
    }

    /** Writes the options in the layout Linux uses, padded with NOPs; returns the bytes written. */
    public int emit(ByteBuffer buffer, int at) {
        int index = at;
        if (mss != NO_MSS) {
            buffer.put(index, (byte) KIND_MSS).put(index + 1, (byte) MSS_LENGTH).putShort(index + 2, (short) mss);
            index += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                buffer.put(index, (byte) KIND_SACK_PERMITTED).put(index + 1, (byte) SACK_PERMITTED_LENGTH);
            } else {
                buffer.put(index, (byte) KIND_NOP).put(index + 1, (byte) KIND_NOP);
            }
            buffer.put(index + 2, (byte) KIND_TIMESTAMPS).put(index + 3, (byte) TIMESTAMPS_LENGTH);
            buffer.putInt(index + 4, timestampValue).putInt(index + 8, timestampEcho);
            index += 12;
        } else if (sackPermitted) {
            buffer.put(index, (byte) KIND_NOP).put(index + 1, (byte) KIND_NOP);
            buffer.put(index + 2, (byte) KIND_SACK_PERMITTED).put(index + 3, (byte) SACK_PERMITTED_LENGTH);
            index += 4;
        }
        if (windowScale != NO_WINDOW_SCALE) {
            buffer.put(index, (byte) KIND_NOP).put(index + 1, (byte) KIND_WINDOW_SCALE);
            buffer.put(index + 2, (byte) WINDOW_SCALE_LENGTH).put(index + 3, (byte) windowScale);
            index += 4;
        }
        return index - at;
    }
}
