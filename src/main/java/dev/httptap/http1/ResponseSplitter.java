package dev.httptap.http1;

import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Follows a server's HTTP/1 responses to the requests a caller passed on, in order, to say when every one
 * of them has had its whole answer: a caller that answers a later, pipelined request itself (the egress
 * policy's 403) then answers after them, and no response is lost. Interim (1xx) responses answer nothing;
 * after a 101, or a 2xx to CONNECT, the bytes are another protocol and are not read. Sans-IO.
 */
public final class ResponseSplitter {
    /** The requests passed on and not answered yet, oldest first. */
    private final ArrayDeque<RequestHead> unanswered = new ArrayDeque<>();
    private final MessageReader reader;
    private boolean finalResponse;
    private boolean switched;

    public ResponseSplitter() {
        this.reader = new MessageReader(new MessageReader.Handler() {
            @Override
            public BodyFraming onHead(RawHead raw) throws Http1Exception {
                ResponseHead head = StartLines.response(raw);
                RequestHead request = unanswered.peek();
                if (request == null) {
                    throw new Http1Exception("a response to no request");
                }
                switched = FramingRules.switchesProtocols(request, head);
                finalResponse = !head.isInformational();
                return FramingRules.response(request, head);
            }

            @Override
            public void onBody(ByteBuffer data) {
                // only where the body ends matters
            }

            @Override
            public void onMessageEnd() {
                if (switched) {
                    unanswered.clear(); // what follows is no answer to anything
                    reader.stop();
                } else if (finalResponse) {
                    unanswered.poll();
                }
            }
        });
    }

    /** {@code request} went on to the server, whose answer is to come after those of the earlier ones. */
    public void expect(RequestHead request) {
        unanswered.add(request);
    }

    /** Whether every request passed on has had its whole answer. */
    public boolean answeredAll() {
        return unanswered.isEmpty();
    }

    /** Reads the server's {@code data} from its position; returns null, or why it is not HTTP/1 responses (reading stopped). */
    public String read(ByteBuffer data) {
        try {
            reader.read(data);
            return null;
        } catch (Http1Exception e) {
            reader.stop();
            return e.getMessage();
        }
    }
}
