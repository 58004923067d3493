package dev.httptap.http1;

import dev.httptap.event.RequestHead;
import java.nio.ByteBuffer;

/**
 * Splits a client's HTTP/1 byte stream into requests, saying where each head ends and each request ends,
 * so that a caller can decide on each request before passing its bytes on (the egress policy's check of
 * every Host). Sans-IO: the {@link Listener} is told while {@link #read} runs, the buffer's position then
 * being just after what it is told of.
 */
public final class RequestSplitter {
    /** Told of each request of the stream, in order. */
    public interface Listener {
        /** A head ended at the read buffer's position; false stops reading there (the rest is not requests). */
        boolean onHead(RequestHead head);

        /** The request, body included, ended at the read buffer's position. */
        void onRequestEnd();
    }

    private final MessageReader reader;
    /** The listener stopped the reading at the last head. */
    private boolean stopped;

    public RequestSplitter(Listener listener) {
        this.reader = new MessageReader(new MessageReader.Handler() {
            @Override
            public BodyFraming onHead(RawHead raw) throws Http1Exception {
                RequestHead head = StartLines.request(raw);
                if (!listener.onHead(head)) {
                    stopped = true;
                    return BodyFraming.NONE; // ends the message at once, where the reader is stopped
                }
                return FramingRules.request(head);
            }

            @Override
            public void onBody(ByteBuffer data) {
                // only where the body ends matters
            }

            @Override
            public void onMessageEnd() {
                if (stopped) {
                    reader.stop();
                } else {
                    listener.onRequestEnd();
                }
            }
        });
    }

    /** Reads {@code data} from its position; returns null, or why it is not HTTP/1 requests (reading stopped). */
    public String read(ByteBuffer data) {
        try {
            reader.read(data);
            // A client speaking another protocol line by line waits for an answer before any head ends.
            String line = reader.wholeStartLineSoFar();
            if (line != null && !StartLines.looksLikeRequest(line)) {
                reader.stop();
                return "not an HTTP/1 request line: " + Printable.excerpt(line);
            }
            return null;
        } catch (Http1Exception e) {
            reader.stop();
            return e.getMessage();
        }
    }

    /** Whether the next byte read belongs to a request head, so is to be held until the head is decided. */
    public boolean betweenRequests() {
        return reader.betweenBodies();
    }
}
