package dev.httptap.http2;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checks nghttp2's HPACK decoder (curl's, node's) makes of dynamic table size updates, for a test's
 * reading of what a peer was sent: its own SETTINGS_HEADER_TABLE_SIZE takes effect when it reads the
 * other side's SETTINGS ACK, and one lower than the table's size makes an update mandatory at the start of
 * the next header block, the first update no larger than the smallest size acknowledged since, every update
 * no larger than the last (nghttp2_hd_inflate_change_table_size and the table size states of
 * nghttp2_hd_inflate_hd_nv). Jetty's decoder, which the transcript decodes with, checks only the last.
 */
final class TableSizeRules {
    private static final long INITIAL = 4096;
    private static final int SETTING_HEADER_TABLE_SIZE = 0x1;

    /** The receiver's SETTINGS frames not acknowledged yet: their table sizes, in order (empty when none). */
    private final ArrayDeque<long[]> settings = new ArrayDeque<>();
    private long limit = INITIAL;
    private long tableSize = INITIAL;
    private long smallest = Long.MAX_VALUE;
    private boolean expectUpdate;

    /** The rules of a receiver that sent {@code receiverBytes} (a client's start with the preface). */
    static TableSizeRules of(byte[] receiverBytes) {
        TableSizeRules rules = new TableSizeRules();
        ByteBuffer in = ByteBuffer.wrap(receiverBytes);
        if (startsWithPreface(receiverBytes)) {
            in.position(FrameReader.CLIENT_PREFACE.length);
        }
        while (in.remaining() >= FrameHeader.SIZE) {
            FrameHeader frame = FrameHeader.parse(in);
            in.position(in.position() + FrameHeader.SIZE);
            ByteBuffer payload = in.slice(in.position(), Math.min(frame.length(), in.remaining()));
            in.position(in.position() + payload.remaining());
            if (frame.type() == FrameHeader.SETTINGS && !frame.has(FrameHeader.FLAG_ACK)) {
                long[] sizes = new long[0];
                for (int at = 0; at + 6 <= payload.limit(); at += 6) {
                    if (payload.getShort(at) == SETTING_HEADER_TABLE_SIZE) {
                        sizes = Arrays.copyOf(sizes, sizes.length + 1);
                        sizes[sizes.length - 1] = payload.getInt(at + 2) & 0xffff_ffffL;
                    }
                }
                rules.settings.add(sizes);
            }
        }
        return rules;
    }

    private static boolean startsWithPreface(byte[] bytes) {
        return bytes.length >= FrameReader.CLIENT_PREFACE.length
                && ByteBuffer.wrap(bytes, 0, FrameReader.CLIENT_PREFACE.length).equals(ByteBuffer.wrap(FrameReader.CLIENT_PREFACE));
    }

    /** The largest table the receiver allows now. */
    long limit() {
        return limit;
    }

    /** The receiver reads a SETTINGS ACK: its oldest SETTINGS frame not acknowledged takes effect. */
    void acknowledged() {
        long[] sizes = settings.poll();
        if (sizes == null || sizes.length == 0) {
            return;
        }
        long least = Long.MAX_VALUE;
        for (long size : sizes) {
            least = Math.min(least, size);
        }
        long last = sizes[sizes.length - 1];
        if (least < last) {
            change(least);
        }
        change(last);
    }

    private void change(long size) {
        if (tableSize > size) {
            expectUpdate = true;
            smallest = size;
        }
        limit = size;
        tableSize = size;
    }

    /** Why the receiver fails the connection on {@code block}, the next header block it reads; null when it does not. */
    String broken(byte[] block) {
        for (long size : updatesAtStart(ByteBuffer.wrap(block))) {
            long most = Math.min(smallest, limit);
            if (size > most) {
                return "a table size update to " + size + " above " + most;
            }
            smallest = Long.MAX_VALUE;
            tableSize = size;
            expectUpdate = false;
        }
        if (expectUpdate) {
            return "no table size update where one is expected";
        }
        return null;
    }

    /** The dynamic table size updates {@code block} opens with. */
    static List<Long> updatesAtStart(ByteBuffer block) {
        ByteBuffer in = block.duplicate();
        List<Long> sizes = new ArrayList<>();
        while (in.hasRemaining() && (in.get(in.position()) & 0xe0) == 0x20) {
            sizes.add(integer(in));
        }
        return sizes;
    }

    private static long integer(ByteBuffer in) {
        long value = in.get() & 0x1f;
        if (value < 0x1f) {
            return value;
        }
        for (int shift = 0; in.hasRemaining(); shift += 7) {
            int next = in.get() & 0xff;
            value += (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                break;
            }
        }
        return value;
    }
}
