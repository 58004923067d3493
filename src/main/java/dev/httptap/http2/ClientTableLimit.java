package dev.httptap.http2;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The limit the client's SETTINGS_HEADER_TABLE_SIZE puts on the HPACK dynamic table of the header blocks it
 * is sent, followed so that a block of the gate's own (a refused stream's 403) opens with the dynamic table
 * size updates the client's decoder expects. A new limit takes effect when the client reads the server's
 * SETTINGS ACK; after one that lowered it, the next header block the client reads must open with an update
 * to the smallest limit since the previous block, then to the last one if larger (RFC 7541 section 4.2, RFC
 * 9113 section 4.3.1). nghttp2 (curl, node) fails the connection on a block without it.
 *
 * <p>The server's next block opens with its own updates, as it knows nothing of the gate's block; a second
 * update at a block's start is allowed. The gate's smallest value is never below the server's: the server
 * must signal the smallest limit since its own last block, which came no later than the last block the
 * client read. So the client's table loses no entry that the server still refers to before the server's
 * own update evicts it too, whichever of the two blocks comes first; when the server's comes first, the
 * gate's carries no update.
 */
final class ClientTableLimit {
    /** Every HPACK context starts with this limit (SETTINGS_HEADER_TABLE_SIZE's initial value). */
    private static final long INITIAL = 4096;
    /** SETTINGS frames with a table size the server has not acknowledged yet; real clients have one or two. */
    static final int MAX_UNACKNOWLEDGED = 1024;

    /** The client's SETTINGS frames that carry a table size, by number: {number, smallest size, last size}. */
    private final ArrayDeque<long[]> unacknowledged = new ArrayDeque<>();
    private long settingsSent;
    private long settingsAcknowledged;
    /** The limit in force, as acknowledged. */
    private long limit = INITIAL;
    /** Since the last header block the client was sent: whether a limit was lowered, and the smallest one. */
    private boolean lowered;
    private long smallest = Long.MAX_VALUE;

    /** The client sent a SETTINGS frame with {@code settings} as its payload (not an ACK). */
    void sent(ByteBuffer settings) throws Http2Exception {
        settingsSent++;
        long[] sizes = sizesIn(settings);
        if (sizes == null) {
            return;
        }
        if (unacknowledged.size() == MAX_UNACKNOWLEDGED) {
            throw new Http2Exception("more than " + MAX_UNACKNOWLEDGED + " SETTINGS frames the server has not acknowledged");
        }
        unacknowledged.add(new long[] {settingsSent, sizes[0], sizes[1]});
    }

    /** Settings the server took when it agreed to h2c (the upgrade request's HTTP2-Settings): in force at once. */
    void agreed(ByteBuffer settings) {
        long[] sizes = sizesIn(settings);
        if (sizes != null) {
            takeEffect(sizes[0], sizes[1]);
        }
    }

    /** The client is sent the server's SETTINGS ACK: the oldest SETTINGS frame not acknowledged takes effect. */
    void acknowledged() {
        if (settingsAcknowledged == settingsSent) {
            return; // an ACK of nothing: the client will say so
        }
        settingsAcknowledged++;
        long[] oldest = unacknowledged.peek();
        if (oldest != null && oldest[0] == settingsAcknowledged) {
            unacknowledged.remove();
            takeEffect(oldest[1], oldest[2]);
        }
    }

    /** The client is sent the start of a header block of the server's: it carries the updates due, if any. */
    void blockStarted() {
        lowered = false;
        smallest = Long.MAX_VALUE;
    }

    /** The table size updates the gate's header block must open with, now that it goes to the client; often none. */
    long[] updatesDue() {
        long[] updates = !lowered ? new long[0] : smallest == limit ? new long[] {limit} : new long[] {smallest, limit};
        blockStarted();
        return updates;
    }

    private void takeEffect(long smallestInFrame, long last) {
        lowered |= smallestInFrame < limit;
        smallest = Math.min(smallest, smallestInFrame);
        limit = last;
    }

    /** The smallest and the last SETTINGS_HEADER_TABLE_SIZE in a SETTINGS payload; null when it has none. */
    private static long[] sizesIn(ByteBuffer settings) {
        long[] sizes = SettingsPayload.values(settings, SettingsPayload.HEADER_TABLE_SIZE);
        return sizes.length == 0 ? null : new long[] {Arrays.stream(sizes).min().getAsLong(), sizes[sizes.length - 1]};
    }
}
