package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A content-coded body decoded as it arrives: only the first {@code printLimit + 1} decoded bytes are kept,
 * and decoding stops once they are there, so a body of any size (or a small one that inflates to
 * gigabytes) costs the print limit and the decoders' windows. The first {@code printLimit} bytes as
 * received are kept too, to show them if the body turns out not to decode.
 */
final class StreamingRecorder implements BodyRecorder {
    private final int printLimit;
    private final BodyCapture received;
    private final BodyCapture decoded;
    private final StageChain chain;

    /** {@code stages}: the last-applied coding first, the order in which they are undone. */
    StreamingRecorder(List<DecodingStage> stages, String codingNames, int printLimit) {
        this.printLimit = printLimit;
        this.received = new BodyCapture(printLimit);
        this.decoded = new BodyCapture(printLimit + 1);
        this.chain = new StageChain(stages, codingNames, output -> {
            decoded.append(output);
            return decoded.totalBytes() <= printLimit;
        });
    }

    @Override
    public void append(ByteBuffer data) {
        received.append(data);
        chain.feed(data);
    }

    @Override
    public DecodedBody result(boolean complete) {
        chain.end(complete);
        if (chain.failure() != null) {
            return DecodedBody.asReceived(received, Optional.of(chain.failure()));
        }
        byte[] bytes = decoded.bytes();
        if (bytes.length > printLimit) {
            return DecodedBody.cutAt(bytes, printLimit);
        }
        // Cut short by the connection: the body went on, by how much is unknown.
        return complete || chain.finished() ? DecodedBody.whole(bytes) : DecodedBody.cutAt(bytes, bytes.length);
    }
}
