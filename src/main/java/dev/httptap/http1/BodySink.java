package dev.httptap.http1;

import java.nio.ByteBuffer;

/** Receives body bytes without framing, as read-only slices of the caller's buffer. */
@FunctionalInterface
interface BodySink {
    void onBody(ByteBuffer data);

    /** Hands the next {@code count} bytes of {@code data} to {@code sink} and moves past them. */
    static void pass(ByteBuffer data, int count, BodySink sink) {
        ByteBuffer slice = data.slice(data.position(), count);
        data.position(data.position() + count);
        sink.onBody(slice.isReadOnly() ? slice : slice.asReadOnlyBuffer());
    }
}
