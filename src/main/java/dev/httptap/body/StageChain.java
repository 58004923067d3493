package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * A body's encoded bytes pushed through its decoding stages, the last-applied coding first, into a consumer
 * that may ask to stop. Remembers why decoding failed and whether every coded stream ended properly. Not
 * thread-safe: one body is fed by one connection's thread.
 */
final class StageChain {
    private final List<DecodingStage> stages;
    private final String codingNames;
    private final DecodingStage.Downstream consumer;
    private String failure;
    /** Why decoding was refused rather than failed (see {@link DecodingRefused}), or null. */
    private String refusal;
    private boolean stopped;
    /** The consumer wanted no more: the streams were left unfinished on purpose. */
    private boolean stoppedByConsumer;
    private boolean producedAny;
    private boolean finished;

    /** {@code stages}: the last-applied coding first; {@code consumer} gets the decoded bytes. */
    StageChain(List<DecodingStage> stages, String codingNames, DecodingStage.Downstream consumer) {
        this.stages = List.copyOf(stages);
        this.codingNames = codingNames;
        this.consumer = consumer;
    }

    /** Undoes the codings of {@code data} (its position is left as it was) unless decoding has stopped. */
    void feed(ByteBuffer data) {
        if (stopped) {
            return;
        }
        try {
            push(data.duplicate(), 0);
        } catch (DataFormatException | RuntimeException | OutOfMemoryError e) {
            fail(e);
        }
    }

    /**
     * The body has ended ({@code complete}: as its framing said, so a coded stream that stops early is
     * corrupt; otherwise the connection ended first, and a stream that stops early is a failure only if it
     * gave nothing). Stages that hold input back decode it now.
     */
    void end(boolean complete) {
        if (!stopped) {
            try {
                for (int i = 0; i < stages.size() && !stopped; i++) {
                    int index = i;
                    stages.get(i).endOfInput(output -> push(output, index + 1));
                }
            } catch (DataFormatException | RuntimeException | OutOfMemoryError e) {
                // Cut short, a stream fails where it stops; that is a failure only when nothing came of it.
                if (complete || !producedAny) {
                    fail(e);
                }
            }
        }
        stop();
        if (failure == null && complete && !finished && !stoppedByConsumer) {
            failure = "cannot decode " + codingNames + ": the coded stream ends early";
        }
    }

    /** Why the body could not be decoded, or null. */
    String failure() {
        return failure;
    }

    /** Why decoding was given up although the stream may be sound (too large now), or null. */
    String refusal() {
        return refusal;
    }

    /** True when every coded stream ended properly (known once stopped or ended). */
    boolean finished() {
        return finished;
    }

    /** Feeds {@code data} to stage {@code index}, whose output goes to the next stage or the consumer. */
    private boolean push(ByteBuffer data, int index) throws DataFormatException {
        if (index == stages.size()) {
            producedAny |= data.hasRemaining();
            if (!consumer.accept(data)) {
                stoppedByConsumer = true;
                stop();
                return false;
            }
            return true;
        }
        stages.get(index).feed(data, output -> push(output, index + 1));
        return !stopped;
    }

    /**
     * Inflater reports corrupt input as DataFormatException, and a few odd states as runtime errors. A decoder
     * whose buffers do not fit in the heap is given up on (they are freed with it), so the exchange still prints.
     */
    private void fail(Throwable e) {
        String reason = e instanceof OutOfMemoryError ? "out of memory" : e.getMessage() == null ? e.toString() : e.getMessage();
        failure = "cannot decode " + codingNames + ": " + reason;
        if (e instanceof DecodingRefused || e instanceof OutOfMemoryError) {
            refusal = reason;
        }
        stop();
    }

    /** Notes whether every stream ended properly, then frees the decoders. Idempotent. */
    private void stop() {
        if (!stopped) {
            stopped = true;
            finished = stages.stream().allMatch(DecodingStage::isFinished);
            stages.forEach(DecodingStage::end);
        }
    }
}
