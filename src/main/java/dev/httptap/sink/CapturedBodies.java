package dev.httptap.sink;

import dev.httptap.body.BodyDecoder;
import dev.httptap.body.BodyRecorder;
import dev.httptap.event.Headers;
import java.nio.ByteBuffer;

/**
 * The request and response bodies of one exchange, recorded for display while it is in progress. Touched
 * only by that exchange's connection thread.
 */
final class CapturedBodies {
    private final BodyDecoder decoder;
    private final BodyRecorder request;
    private BodyRecorder response;

    CapturedBodies(BodyDecoder decoder, Headers requestHeaders) {
        this.decoder = decoder;
        this.request = recorderFor(requestHeaders);
    }

    void requestBody(ByteBuffer data) {
        request.append(data);
    }

    void responseStarted(Headers responseHeaders) {
        response = recorderFor(responseHeaders);
    }

    void responseBody(ByteBuffer data) {
        if (response != null) {
            response.append(data);
        }
    }

    BodyRecorder request() {
        return request;
    }

    /** The response's recorder; {@code responseStarted} has been called when a response head exists. */
    BodyRecorder response() {
        return response != null ? response : recorderFor(Headers.EMPTY);
    }

    private BodyRecorder recorderFor(Headers headers) {
        return decoder.recorder(headers.all("Content-Encoding"));
    }
}
