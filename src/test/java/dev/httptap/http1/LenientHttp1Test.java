package dev.httptap.http1;

import static dev.httptap.http1.Http1ConnectionTest.URL;
import static dev.httptap.http1.Http1ConnectionTest.get;
import static dev.httptap.http1.Http1ConnectionTest.ok;
import static dev.httptap.http1.Http1ConnectionTest.play;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.Headers;
import dev.httptap.event.RecordingListener;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and sloppy messages that servers still answer: each is reported as the server saw it, with a
 * note where the report cuts or guesses, in both directions, however the bytes are split.
 */
class LenientHttp1Test {
    /** Where requests without a usable Host go. */
    private static final String BY_ADDRESS = "http://169.254.77.65:8000";
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    static List<Split> splits() {
        return Split.all();
    }

    /** Plays the conversation and closes it; the listener holds the events and the finished exchanges. */
    private static RecordingListener record(Conversation conversation, Split split) {
        RecordingListener listener = new RecordingListener();
        Http1Connection connection = new Http1Connection(Http1ConnectionTest.connectionInfo(), listener,
                new Http1ConnectionTest.FakeClock());
        conversation.close(false).play(connection, split);
        return listener;
    }

    private static Headers requestHeaders(RecordingListener listener) {
        return listener.finished.get(0).request().headers();
    }

    private static Headers responseHeaders(RecordingListener listener) {
        return listener.finished.get(0).response().orElseThrow().headers();
    }

    private static List<String> playClosed(Conversation conversation, Split split) {
        return play(conversation.close(false), split, Http1Connection.State.CLOSED);
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aSpaceBeforeTheColonKeepsTheNameAsSentAndTheServers400IsReported(Split split) {
        Conversation conversation = new Conversation()
                .client("GET /a HTTP/1.1\r\nHost : host.httptap.local:8000\r\n\r\n")
                .server(BAD_REQUEST).serverEnd();
        assertEquals(List.of("request GET /a", "response 400", "finished GET " + BY_ADDRESS + "/a 400 COMPLETE 0/0"),
                playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aSpaceBeforeTheColonInAResponseIsShownAsSent(Split split) {
        Conversation conversation = new Conversation().client(get("/b"))
                .server("HTTP/1.1 200 OK\r\nX-Odd : 1\r\nContent-Length: 2\r\n\r\nok");
        List<String> events = playClosed(conversation, split);
        assertEquals(List.of("request GET /b", "response 200", "response body: ok",
                "finished GET " + URL + "/b 200 COMPLETE 0/2"), events);
    }

    @ParameterizedTest
    @MethodSource("splits")
    void controlBytesInFieldValuesAreKeptInBothDirections(Split split) {
        RecordingListener recorded = record(new Conversation()
                .client("GET /c HTTP/1.1\r\nHost: h\r\nX-Ctl: a\u0001b\u0000c\u007f\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nX-Ctl: \u001b[31mred\r\nContent-Length: 0\r\n\r\n"), split);
        assertEquals(List.of("request GET /c", "response 200", "finished GET http://h:8000/c 200 COMPLETE 0/0"),
                recorded.events);
        assertEquals("a\u0001b\u0000c\u007f", requestHeaders(recorded).first("X-Ctl").orElseThrow());
        assertEquals("\u001b[31mred", responseHeaders(recorded).first("X-Ctl").orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void foldedFieldsAreUnfoldedInBothDirectionsAndAFoldBeforeTheFirstFieldIsSkipped(Split split) {
        RecordingListener recorded = record(new Conversation()
                .client("GET /d HTTP/1.1\r\n  stray\r\nHost: h\r\nX-Long: one\r\n two\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nX-Long: three\r\n\tfour\r\nContent-Length: 0\r\n\r\n"), split);
        assertEquals(List.of("request GET /d", "response 200", "finished GET http://h:8000/d 200 COMPLETE 0/0",
                "note: request head has 1 line(s) that are no header field, first \"  stray\""), recorded.events);
        assertEquals("one two", requestHeaders(recorded).first("X-Long").orElseThrow());
        assertEquals("three four", responseHeaders(recorded).first("X-Long").orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void bareLineFeedsEndLinesInHeadsAndChunks(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /e HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n")
                .server("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nyes\n0\nX-Trailer: t\n\n");
        assertEquals(List.of("request POST /e", "request body: hi", "response 200", "response body: yes",
                "finished POST http://h:8000/e 200 COMPLETE 2/3"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void identicalContentLengthsCountAsOne(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi" + get("/g"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\n1" + ok("2"));
        assertEquals(List.of("request POST /f", "request body: hi", "request GET /g", "response 200",
                "response body: 1", "finished POST http://h:8000/f 200 COMPLETE 2/1", "response 200", "response body: 2",
                "finished GET " + URL + "/g 200 COMPLETE 0/1"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aRequestWithConflictingLengthsGetsTheServers400AndANote(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /h HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
                .server(BAD_REQUEST).serverEnd();
        assertEquals(List.of("request POST /h", "request body: hello!", "response 400",
                "finished POST http://h:8000/h 400 COMPLETE 6/0", "note: request body end unknown (Content-Length: \"5, 6\"),"
                        + " the rest of this direction is counted as its body"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aResponseWithConflictingLengthsIsReadUntilClose(Split split) {
        Conversation conversation = new Conversation().client(get("/i"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc").serverEnd();
        assertEquals(List.of("request GET /i", "response 200", "response body: abc",
                "finished GET " + URL + "/i 200 COMPLETE 0/3", "note: response body end unknown (Content-Length: "
                        + "\"2, 3\"), the rest of this direction is counted as its body"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anUnknownRequestTransferCodingIsAnsweredAndNoted(Split split) {
        // A server that ignores the coding (Python's http.server) answers at once and keeps the connection.
        Conversation conversation = new Conversation()
                .client("POST /j HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                .server(ok("done"));
        assertEquals(List.of("request POST /j", "request body: 3\r\nabc\r\n0\r\n\r\n", "response 200",
                "response body: done", "finished POST http://h:8000/j 200 COMPLETE 13/4",
                "note: request body end unknown (Transfer-Encoding: \"xchunked\"), the rest of this direction is"
                        + " counted as its body"), play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anUnknownResponseTransferCodingIsReadUntilClose(Split split) {
        Conversation conversation = new Conversation().client(get("/k"))
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").serverEnd();
        assertEquals(List.of("request GET /k", "response 200", "response body: 3\r\nabc\r\n0\r\n\r\n",
                "finished GET " + URL + "/k 200 COMPLETE 0/13"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aResponseNoRequestAskedForIsOneLineOnAnHttpConnection(Split split) {
        Conversation conversation = new Conversation().client(get("/l")).server(ok("1") + ok("surprise"));
        assertEquals(List.of("request GET /l", "response 200", "response body: 1",
                "finished GET " + URL + "/l 200 COMPLETE 0/1",
                "connection not followed: cannot follow the connection: response: a response 200 without a request"),
                play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aConnectionThatNeverCarriedHttpIsDroppedQuietly(Split split) {
        assertEquals(List.of(), play(new Conversation().server(ok("surprise")), split, Http1Connection.State.NOT_HTTP));
        assertEquals(List.of(), play(new Conversation().client("HELLO there\r\n\r\n"), split,
                Http1Connection.State.NOT_HTTP));
    }

    private static String manyFields(int count) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append("X-").append(i).append(": ").append("y".repeat(90)).append("\r\n");
        }
        return fields.toString();
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aRequestHeadBeyondTheBoundIsReportedCutWithTheServers431(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /big HTTP/1.1\r\nHost: h\r\n" + manyFields(1000) + "Content-Length: 2\r\n\r\nhi" + get("/next"))
                .server("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n\r\n" + ok("n"));
        List<String> events = playClosed(conversation, split);
        assertEquals(List.of("request POST /big", "request body: hi", "request GET /next", "response 431",
                "finished POST http://h:8000/big 431 COMPLETE 2/0",
                "note: request head of 98940 bytes: only its first 65457 bytes are shown",
                "note: request 407 header fields after the first 256 are not shown", "response 200",
                "response body: n", "finished GET " + URL + "/next 200 COMPLETE 0/1"), events);
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aResponseHeadBeyondTheBoundIsReportedCutAndItsBodyFollowed(Split split) {
        RecordingListener recorded = record(new Conversation().client(get("/big") + get("/next"))
                .server("HTTP/1.1 200 OK\r\n" + manyFields(1000) + "Content-Length: 3\r\n\r\nabc" + ok("n")), split);
        assertEquals(List.of("request GET /big", "request GET /next", "response 200", "response body: abc",
                "finished GET " + URL + "/big 200 COMPLETE 0/3",
                "note: response head of 98928 bytes: only its first 65445 bytes are shown",
                "note: response 406 header fields after the first 256 are not shown", "response 200",
                "response body: n", "finished GET " + URL + "/next 200 COMPLETE 0/1"), recorded.events);
        assertEquals(HeadParser.MAX_HEADER_COUNT + 1, responseHeaders(recorded).asList().size());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void moreFieldsThanShownAreReportedWithANote(Split split) {
        Conversation conversation = new Conversation()
                .client("GET /many HTTP/1.1\r\nHost: h\r\n" + "A: b\r\n".repeat(300) + "\r\n")
                .server("HTTP/1.1 400 Bad Request\r\n" + "C: d\r\n".repeat(299) + "Content-Length: 1\r\n\r\nx");
        assertEquals(List.of("request GET /many", "response 400", "response body: x",
                "finished GET http://h:8000/many 400 COMPLETE 0/1",
                "note: request 45 header fields after the first 256 are not shown",
                "note: response 43 header fields after the first 256 are not shown"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void requestLinesWithExtraWhitespaceAreReportedAsTheServerAnswersThem(Split split) {
        Conversation conversation = new Conversation()
                .client("GET  \t/a\t HTTP/1.1 \r\nHost: h\r\n\r\n" + "\r\nGET\u000b/b\rHTTP/1.1\r\nHost: h\r\n\r\n")
                .server(ok("a") + ok("b"));
        assertEquals(List.of("request GET /a", "request GET /b", "response 200", "response body: a",
                "finished GET http://h:8000/a 200 COMPLETE 0/1", "response 200", "response body: b",
                "finished GET http://h:8000/b 200 COMPLETE 0/1"),
                playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aLowerCaseMethodIsReportedAsSentWithTheServers501(Split split) {
        Conversation conversation = new Conversation().client("get /c HTTP/1.1\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of("request get /c", "response 501", "finished get http://h:8000/c 501 COMPLETE 0/0"),
                playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anAbsoluteFormTargetIsTheUrl(Split split) {
        Conversation conversation = new Conversation()
                .client("GET http://other.test:81/d?q HTTP/1.1\r\nHost: h\r\n\r\n").server(ok("d"));
        assertEquals(List.of("request GET http://other.test:81/d?q", "response 200", "response body: d",
                "finished GET http://other.test:81/d?q 200 COMPLETE 0/1"), playClosed(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aTargetWithASpaceAndAnUnsupportedVersionAreReportedWithTheServersAnswers(Split split) {
        Conversation conversation = new Conversation()
                .client("GET /e f HTTP/1.1\r\nHost: h\r\n\r\n")
                .server(BAD_REQUEST).serverEnd();
        assertEquals(List.of("request GET /e f", "response 400", "finished GET http://h:8000/e f 400 COMPLETE 0/0"),
                playClosed(conversation, split));
        Conversation http2 = new Conversation().client("GET /g HTTP/2.0\r\nHost: h\r\n\r\n")
                .server("HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of("request GET /g", "response 505", "finished GET http://h:8000/g 505 COMPLETE 0/0"),
                playClosed(http2, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anUnreadableRequestLineShapedLikeARequestIsOneLine(Split split) {
        Conversation conversation = new Conversation().client("GET / HTTP/1.1x\r\nHost: h\r\n\r\n")
                .server(BAD_REQUEST).serverEnd();
        assertEquals(List.of("connection not followed: cannot follow the connection: request: "
                + "not an HTTP/1 request line: \"GET / HTTP/1.1x\""), play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anHttp09RequestAnsweredWithoutAStatusLineIsOneLine(Split split) {
        Conversation conversation = new Conversation().client("GET /old\r\n").server("<html>old</html>").serverEnd();
        assertEquals(List.of("connection not followed: cannot follow the connection: response: "
                + "the server closed after bytes that are no HTTP/1 response: \"<html>old</html>\""),
                play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aResponseBeforeTheEndOfARequestLineIsOneLine(Split split) {
        Conversation conversation = new Conversation().client("GET /" + "x".repeat(70_000))
                .server("HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").serverEnd();
        assertEquals(List.of("connection not followed: cannot follow the connection: response: a response 414 came "
                + "before the end of the request head \"GET /" + "x".repeat(55) + "...\""),
                play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aRequestLineBeyondTheBoundIsReportedCutWithItsVersionAndTheServers414(Split split) {
        String target = "/" + "u".repeat(1024 * 1024);
        RecordingListener recorded = record(new Conversation()
                .client("GET " + target + " HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi" + get("/next"))
                .server("HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\n\r\n" + ok("n")), split);
        int kept = HeadReader.MAX_HEAD_BYTES - 1;
        String shownTarget = target.substring(0, kept - "GET ".length());
        assertEquals(List.of("request GET /TARGET", "request body: hi", "request GET /next", "response 414",
                "finished GET http://h:8000/TARGET 414 COMPLETE 2/0",
                "note: request start line of " + ("GET " + target + " HTTP/1.1\r").length() + " bytes: only its first "
                        + kept + " bytes and its last word are shown",
                "note: request head of " + ("GET " + target + " HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n").length()
                        + " bytes: only its first " + kept + " bytes are shown",
                "response 200", "response body: n", "finished GET " + URL + "/next 200 COMPLETE 0/1"),
                recorded.events.stream().map(event -> event.replace(shownTarget, "/TARGET")).toList());
        assertEquals("HTTP/1.1", recorded.finished.get(0).request().version());
    }
}
