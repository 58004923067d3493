package dev.httptap.body;

import java.nio.ByteBuffer;

/**
 * Takes one body's bytes as they stream by (without transfer framing, still content-encoded) and keeps
 * only what is needed to show its first bytes, decoded. Made by {@link BodyDecoder#recorder}; fed by one
 * connection's thread.
 */
public interface BodyRecorder {
    /** The next bytes of the body, from {@code data}'s position to its limit; {@code data} is not changed. */
    void append(ByteBuffer data);

    /**
     * What to show of the body. {@code complete}: the message ended normally, so a coded stream that stops
     * early is corrupt; otherwise the connection ended first and what arrived is shown.
     */
    DecodedBody result(boolean complete);
}
