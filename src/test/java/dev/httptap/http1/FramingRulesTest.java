package dev.httptap.http1;

import dev.httptap.event.Headers;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FramingRulesTest {
    private static final RequestHead GET = new RequestHead("GET", "/", "HTTP/1.1", Headers.EMPTY);

    private static BodyFraming response(String... namesAndValues) {
        return FramingRules.response(GET, new ResponseHead(200, "OK", "HTTP/1.1", Headers.of(namesAndValues)));
    }

    private static BodyFraming request(String... namesAndValues) {
        return FramingRules.request(new RequestHead("POST", "/", "HTTP/1.1", Headers.of(namesAndValues)));
    }

    @Test
    void contentLengthItemsAreReadWithWhitespaceAroundThemAndMustAgree() {
        assertEquals(BodyFraming.fixed(64), response("Content-Length", "64"));
        assertEquals(BodyFraming.fixed(5), response("content-length", " 5 ,\t5", "Content-Length", "5"));
        assertEquals(BodyFraming.NONE, response("Content-Length", "0"));
        assertEquals(BodyFraming.fixed(999_999_999_999_999_999L), response("Content-Length", "999999999999999999"));
        String guess = "body end unknown (Content-Length: \"%s\"), the rest of this direction is counted as its body";
        for (String bad : new String[] {"5,", ",5", "", " ", "+5", "0x5", "5 5", "5,6", "1000000000000000000"}) {
            assertEquals(BodyFraming.unknown(guess.formatted(bad)), response("Content-Length", bad), bad);
        }
        assertEquals(BodyFraming.unknown(guess.formatted("5, 6")), request("Content-Length", "5", "Content-Length", "6"));
    }

    @Test
    void transferEncodingWinsOverContentLengthWhenChunkedIsLast() {
        assertEquals(BodyFraming.CHUNKED, response("Content-Length", "5", "Transfer-Encoding", "gzip, Chunked "));
        assertEquals(BodyFraming.UNTIL_CLOSE, response("Transfer-Encoding", "chunked, gzip", "Content-Length", "5"));
        assertEquals(BodyFraming.CHUNKED, request("Transfer-Encoding", "gzip", "transfer-encoding", "chunked"));
        assertEquals(BodyFraming.unknown("body end unknown (Transfer-Encoding: \"chunked, gzip\"), the rest of this"
                + " direction is counted as its body"), request("Transfer-Encoding", "chunked, gzip"));
        assertEquals(BodyFraming.NONE, request());
        assertEquals(BodyFraming.UNTIL_CLOSE, response());
    }
}
