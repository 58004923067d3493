package dev.httptap.sink;

import dev.httptap.body.BodyCapture;
import dev.httptap.body.BodyDecoder;
import dev.httptap.event.Headers;
import java.nio.ByteBuffer;

/**
 * The captured request and response bodies of one exchange while it is in progress. Touched only by
 * that exchange's connection thread.
 */
final class CapturedBodies {
    private final BodyDecoder decoder;
    private final BodyCapture request;
    private BodyCapture response;

    CapturedBodies(BodyDecoder decoder, Headers requestHeaders) {
        this.decoder = decoder;
        this.request = captureFor(requestHeaders);
    }

    void requestBody(ByteBuffer data) {
        request.append(data);
    }

    void responseStarted(Headers responseHeaders) {
        response = captureFor(responseHeaders);
    }

    void responseBody(ByteBuffer data) {
        if (response != null) {
            response.append(data);
        }
    }

    BodyCapture request() {
        return request;
    }

    /** The response's capture, or an empty one when no response head arrived. */
    BodyCapture response() {
        return response != null ? response : new BodyCapture(0);
    }

    private BodyCapture captureFor(Headers headers) {
        return new BodyCapture(decoder.captureBytes(headers.all("Content-Encoding")));
    }
}
