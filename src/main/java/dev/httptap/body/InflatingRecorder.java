package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;

/**
 * A body in gzip and/or deflate, decoded as it arrives: only the first {@code printLimit + 1} decoded bytes
 * are kept, and decoding stops once they are there, so a body of any size (or a small one that inflates to
 * gigabytes) costs the print limit and the inflaters' windows. The first {@code printLimit} bytes as
 * received are kept too, to show them if the body turns out not to decode.
 */
final class InflatingRecorder implements BodyRecorder {
    private final List<DecodingStage> stages;
    private final String codingNames;
    private final int printLimit;
    private final BodyCapture received;
    private final BodyCapture decoded;
    private String failure;
    private boolean stopped;
    private boolean finished;

    /** {@code stages}: the last-applied coding first, the order in which they are undone. */
    InflatingRecorder(List<DecodingStage> stages, String codingNames, int printLimit) {
        this.stages = List.copyOf(stages);
        this.codingNames = codingNames;
        this.printLimit = printLimit;
        this.received = new BodyCapture(printLimit);
        this.decoded = new BodyCapture(printLimit + 1);
    }

    @Override
    public void append(ByteBuffer data) {
        received.append(data);
        if (stopped) {
            return;
        }
        try {
            push(data.duplicate(), 0);
        } catch (DataFormatException | RuntimeException e) {
            // Inflater reports corrupt input as DataFormatException, and a few odd states as runtime errors.
            failure = "cannot decode " + codingNames + ": " + (e.getMessage() == null ? e : e.getMessage());
            stop();
        }
    }

    @Override
    public DecodedBody result(boolean complete) {
        stop();
        if (failure == null && complete && !finished && decoded.totalBytes() <= printLimit) {
            failure = "cannot decode " + codingNames + ": the coded stream ends early";
        }
        if (failure != null) {
            return DecodedBody.asReceived(received, Optional.of(failure));
        }
        byte[] bytes = decoded.bytes();
        if (bytes.length > printLimit) {
            return DecodedBody.cutAt(bytes, printLimit);
        }
        // Cut short by the connection: the body went on, by how much is unknown.
        return complete || finished ? DecodedBody.whole(bytes) : DecodedBody.cutAt(bytes, bytes.length);
    }

    /** Feeds {@code data} to stage {@code index}, whose output goes to the next stage or the capture. */
    private boolean push(ByteBuffer data, int index) throws DataFormatException {
        if (index == stages.size()) {
            decoded.append(data);
            if (decoded.totalBytes() > printLimit) {
                stop();
                return false;
            }
            return true;
        }
        stages.get(index).feed(data, output -> push(output, index + 1));
        return !stopped;
    }

    /** Notes whether every stream ended properly, then frees the inflaters. Idempotent. */
    private void stop() {
        if (!stopped) {
            stopped = true;
            finished = stages.stream().allMatch(DecodingStage::isFinished);
            stages.forEach(DecodingStage::end);
        }
    }
}
