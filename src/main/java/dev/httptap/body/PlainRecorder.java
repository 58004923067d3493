package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.Optional;

/** A body shown as it was sent: unencoded, or in a coding httptap cannot undo (with a note saying so). */
final class PlainRecorder implements BodyRecorder {
    private final BodyCapture received;
    private final Optional<String> note;

    PlainRecorder(int printLimit, Optional<String> note) {
        this.received = new BodyCapture(printLimit);
        this.note = note;
    }

    @Override
    public void append(ByteBuffer data) {
        received.append(data);
    }

    @Override
    public DecodedBody result(boolean complete) {
        return DecodedBody.asReceived(received, note);
    }
}
