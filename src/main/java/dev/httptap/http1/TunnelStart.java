package dev.httptap.http1;

import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Follows a child's HTTP/1 conversation with a proxy to where a CONNECT tunnel starts in each direction.
 * Requests to the proxy (absolute form, {@code GET http://...}) and their answers are read through, bodies
 * framed as the HTTP/1 layer frames them, up to a CONNECT's head; reading the child's bytes pauses there, as
 * what follows is either the tunnel's or the child's next request, which only the answer tells. The answer
 * is awaited after those to the requests before it: a 2xx, and the rest of both streams is the tunnel's
 * ({@link #isOpened}); a refusal, read to the end of its body (a length or chunks), and the child may ask
 * again on the same connection. The watch is lost ({@link #isLost}) on a request in origin form (the
 * connection is to a server, not a proxy), a switch to another protocol, bytes that are not HTTP/1, an
 * answer whose body runs to the connection's close (no CONNECT can follow it), or more than
 * {@value #MAX_UNANSWERED} requests awaiting answers. Sans-IO.
 */
public final class TunnelStart {
    /** Pipelined requests awaiting answers beyond this are not a proxy's client's: the watch is lost. */
    static final int MAX_UNANSWERED = 64;

    /** The requests read and not answered yet, oldest first; a pending CONNECT is the last. */
    private final ArrayDeque<RequestHead> unanswered = new ArrayDeque<>();
    private MessageReader requests = requestReader();
    private MessageReader responses = responseReader();
    /** The CONNECT whose answer is awaited; null while none is. */
    private RequestHead connect;
    /** The response being read is a final one (not 1xx), so answers the oldest request. */
    private boolean finalResponse;
    private boolean opened;
    private boolean lost;

    /**
     * Reads the child's {@code data} from its position, up to its end or just after a CONNECT's head
     * ({@link #pendingConnect} then says which); never while a CONNECT is pending.
     */
    public void readRequests(ByteBuffer data) {
        if (connect != null) {
            throw new IllegalStateException("the CONNECT's answer decides what the next bytes are");
        }
        read(requests, data, StartLines::looksLikeRequest);
    }

    /**
     * Reads the proxy's {@code data} from its position, up to its end, or just after the pending CONNECT's
     * answer: its head when it opened the tunnel, its body when it refused (no CONNECT is pending then).
     */
    public void readResponses(ByteBuffer data) {
        read(responses, data, line -> line.startsWith("HTTP/"));
    }

    /** The CONNECT read and not answered yet. */
    public Optional<RequestHead> pendingConnect() {
        return Optional.ofNullable(connect);
    }

    /** A CONNECT was answered 2xx: what follows it either way is the tunnel's. */
    public boolean isOpened() {
        return opened;
    }

    /** The bytes stopped being a conversation with a proxy that this follows; nothing more is read. */
    public boolean isLost() {
        return lost;
    }

    /** {@code startLine}: whether a whole start line may begin a head of this direction. */
    private void read(MessageReader reader, ByteBuffer data, Predicate<String> startLine) {
        if (lost || opened) {
            return;
        }
        try {
            reader.read(data);
            // Another protocol, line by line, waits for an answer before any head ends: not one to follow.
            String line = reader.wholeStartLineSoFar();
            if (line != null && !startLine.test(line)) {
                lose();
            }
        } catch (Http1Exception e) {
            lose();
        }
    }

    private void lose() {
        lost = true;
        requests.stop();
        responses.stop();
    }

    private MessageReader requestReader() {
        return new Reader() {
            @Override
            public BodyFraming onHead(RawHead raw) throws Http1Exception {
                RequestHead head = StartLines.request(raw);
                if (unanswered.size() == MAX_UNANSWERED) {
                    throw new Http1Exception("too many requests awaiting answers");
                }
                unanswered.add(head);
                if (head.method().equals("CONNECT")) {
                    connect = head;
                    return BodyFraming.NONE;
                }
                BodyFraming framing = FramingRules.request(head);
                if (!head.target().contains("://") || framing.kind() == BodyFraming.Kind.UNTIL_CLOSE) {
                    throw new Http1Exception("not a request to a proxy");
                }
                return framing;
            }

            @Override
            public void onMessageEnd() {
                if (connect != null) {
                    requests.stop(); // the answer says whose the next bytes are
                }
            }
        }.reader;
    }

    private MessageReader responseReader() {
        return new Reader() {
            @Override
            public BodyFraming onHead(RawHead raw) throws Http1Exception {
                ResponseHead head = StartLines.response(raw);
                RequestHead request = unanswered.peek();
                if (request == null || head.status() == 101) {
                    throw new Http1Exception("not answers from a proxy");
                }
                finalResponse = !head.isInformational();
                opened = finalResponse && FramingRules.switchesProtocols(request, head);
                BodyFraming framing = FramingRules.response(request, head);
                if (finalResponse && framing.kind() == BodyFraming.Kind.UNTIL_CLOSE) {
                    throw new Http1Exception("an answer that ends the connection: nothing follows it");
                }
                return framing;
            }

            @Override
            public void onMessageEnd() {
                if (opened) {
                    responses.stop();
                } else if (finalResponse && unanswered.poll() == connect && connect != null) {
                    // Refused: the child's next bytes are requests again, read by fresh readers from here.
                    connect = null;
                    responses.stop();
                    requests = requestReader();
                    responses = responseReader();
                }
            }
        }.reader;
    }

    /** A reader of one direction, whose handler can stop it once the point that matters is reached. */
    private abstract static class Reader implements MessageReader.Handler {
        final MessageReader reader = new MessageReader(this);

        @Override
        public void onBody(ByteBuffer data) {
            // only where the body ends matters
        }
    }
}
