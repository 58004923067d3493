package dev.httptap.http1;

import java.nio.ByteBuffer;

/**
 * One direction of an HTTP/1 connection: a head, then a body framed as the head says, then the next
 * message, for as long as the bytes last. Requests and responses share this core; what differs (start
 * line, framing rules, pairing) lives in the {@link Handler}.
 */
final class MessageReader {
    interface Handler extends BodySink {
        /** A complete head arrived; the answer says how its body is framed. */
        BodyFraming onHead(RawHead head) throws Http1Exception;

        /** The message, body included, is complete. */
        void onMessageEnd() throws Http1Exception;
    }

    private enum State { HEAD, FIXED_BODY, CHUNKED_BODY, UNTIL_CLOSE_BODY, STOPPED }

    private final Handler handler;
    private final HeadReader head = new HeadReader();
    private final ChunkedBodyReader chunked;
    private State state = State.HEAD;
    private long bodyRemaining;

    MessageReader(Handler handler) {
        this.handler = handler;
        this.chunked = new ChunkedBodyReader(handler);
    }

    void read(ByteBuffer data) throws Http1Exception {
        while (data.hasRemaining() && state != State.STOPPED) {
            switch (state) {
                case HEAD -> {
                    if (head.read(data)) {
                        startBody(handler.onHead(head.take()));
                    }
                }
                case FIXED_BODY -> {
                    int count = (int) Math.min(bodyRemaining, data.remaining());
                    BodySink.pass(data, count, handler);
                    bodyRemaining -= count;
                    if (bodyRemaining == 0) {
                        endMessage();
                    }
                }
                case CHUNKED_BODY -> {
                    if (chunked.read(data)) {
                        endMessage();
                    }
                }
                case UNTIL_CLOSE_BODY -> BodySink.pass(data, data.remaining(), handler);
                default -> throw new IllegalStateException("cannot read in state " + state);
            }
        }
    }

    /** The peer finished sending: that completes a read-until-close body. */
    void endOfInput() throws Http1Exception {
        if (state == State.UNTIL_CLOSE_BODY) {
            endMessage();
        }
    }

    /** The bytes of a head begun and not ended yet: what a peer that stops now sent that is no message. */
    long unfinishedHeadBytes() {
        return state == State.HEAD ? head.bytesSoFar() : 0;
    }

    /** Whether the next byte read belongs to a head (none of the current message is left). */
    boolean betweenBodies() {
        return state == State.HEAD;
    }

    /** The start line of a head still arriving, once it is whole; null when none is. */
    String wholeStartLineSoFar() {
        return state == State.HEAD ? head.wholeStartLine() : null;
    }

    /** The start line of a head still arriving; null when none is. */
    String startLineSoFar() {
        return state == State.HEAD ? head.startLineSoFar() : null;
    }

    /** Ignores every further byte: the connection switched protocols or stopped making sense. */
    void stop() {
        state = State.STOPPED;
    }

    private void startBody(BodyFraming framing) throws Http1Exception {
        switch (framing.kind()) {
            case NONE -> endMessage();
            case FIXED -> {
                bodyRemaining = framing.length();
                state = State.FIXED_BODY;
            }
            case CHUNKED -> {
                chunked.reset();
                state = State.CHUNKED_BODY;
            }
            case UNTIL_CLOSE -> state = State.UNTIL_CLOSE_BODY;
        }
    }

    private void endMessage() throws Http1Exception {
        // The state moves on first, so that a handler stopping the reader here has the last word.
        state = State.HEAD;
        handler.onMessageEnd();
    }
}
