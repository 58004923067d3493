package dev.httptap.http1;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Outcome;
import dev.httptap.event.RecordingListener;
import dev.httptap.relay.FlowObserver;
import dev.httptap.stack.FlowId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden byte streams, each fed whole, byte by byte and in random pieces, must give the same events. */
class Http1ConnectionTest {
    static final String URL = "http://host.httptap.local:8000";

    static List<Split> splits() {
        return Split.all();
    }

    static ConnectionInfo connectionInfo() {
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", 8000));
        return new ConnectionInfo(flow, new InetSocketAddress("127.0.0.1", 8000), "http");
    }

    /** Plays the conversation; returns the events and checks the connection's final state. */
    static List<String> play(Conversation conversation, Split split, Http1Connection.State expectedState) {
        RecordingListener listener = new RecordingListener();
        Http1Connection connection = new Http1Connection(connectionInfo(), listener, new FakeClock());
        conversation.play(connection, split);
        assertEquals(expectedState, connection.state(), "state with " + split);
        return listener.events;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: host.httptap.local:8000\r\nUser-Agent: test\r\n\r\n";
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @ParameterizedTest
    @MethodSource("splits")
    void twentyKeepAliveGetsOnOneConnection(Split split) {
        Conversation conversation = new Conversation();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            conversation.client(get("/item/" + i)).server(ok("body " + i));
            expected.addAll(List.of("request GET /item/" + i, "response 200", "response body: body " + i,
                    "finished GET " + URL + "/item/" + i + " 200 COMPLETE 0/" + ("body " + i).length()));
        }
        conversation.clientEnd().serverEnd().close(false);
        assertEquals(expected, play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void pipelinedRequestsPairWithResponsesInOrder(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/a") + get("/b") + get("/c"))
                .server(ok("first")
                        + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nno!\r\n0\r\n\r\n"
                        + ok(""))
                .close(false);
        assertEquals(List.of(
                "request GET /a", "request GET /b", "request GET /c",
                "response 200", "response body: first", "finished GET " + URL + "/a 200 COMPLETE 0/5",
                "response 404", "response body: no!", "finished GET " + URL + "/b 404 COMPLETE 0/3",
                "response 200", "finished GET " + URL + "/c 200 COMPLETE 0/0"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void chunkedBodyWithExtensionsAndTrailersCountsOnlyData(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/chunked"))
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                        + "5;name=value\r\nhello\r\n"
                        + "6 ; quoted=\"a;b\"\r\n world\r\n"
                        + "A\r\n, chunked!\r\n"
                        + "0;last\r\nX-Sum: 42\r\nX-Other: yes\r\n\r\n")
                .client(get("/next")).server(ok("ok"))
                .close(false);
        assertEquals(List.of(
                "request GET /chunked", "response 200", "response body: hello world, chunked!",
                "finished GET " + URL + "/chunked 200 COMPLETE 0/21",
                "request GET /next", "response 200", "response body: ok", "finished GET " + URL + "/next 200 COMPLETE 0/2"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void contentLengthZeroEndsAtTheHead(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/empty"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of("request GET /empty", "response 200", "finished GET " + URL + "/empty 200 COMPLETE 0/0"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void responseWithoutLengthIsReadUntilTheServerCloses(Split split) {
        Conversation conversation = new Conversation()
                .client("GET /old HTTP/1.0\r\nHost: host.httptap.local:8000\r\n\r\n")
                .server("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this\r\nuntil close")
                .serverEnd();
        assertEquals(List.of("request GET /old", "response 200", "response body: all of this\r\nuntil close",
                "finished GET " + URL + "/old 200 COMPLETE 0/24"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void headResponsesHaveNoBodyDespiteTheirContentLength(Split split) {
        Conversation conversation = new Conversation()
                .client("HEAD /big HTTP/1.1\r\nHost: host.httptap.local:8000\r\n\r\n" + get("/after"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + ok("after"));
        assertEquals(List.of("request HEAD /big", "request GET /after",
                "response 200", "finished HEAD " + URL + "/big 200 COMPLETE 0/0",
                "response 200", "response body: after", "finished GET " + URL + "/after 200 COMPLETE 0/5"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void noContentAndNotModifiedHaveNoBody(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/204") + get("/304") + get("/last"))
                .server("HTTP/1.1 204 No Content\r\n\r\n"
                        + "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\nETag: \"x\"\r\n\r\n"
                        + ok("last"));
        assertEquals(List.of("request GET /204", "request GET /304", "request GET /last",
                "response 204", "finished GET " + URL + "/204 204 COMPLETE 0/0",
                "response 304", "finished GET " + URL + "/304 304 COMPLETE 0/0",
                "response 200", "response body: last", "finished GET " + URL + "/last 200 COMPLETE 0/4"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void continueIsSkippedAndTheFinalResponseCounts(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /upload HTTP/1.1\r\nHost: host.httptap.local:8000\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 11\r\n\r\n")
                .server("HTTP/1.1 100 Continue\r\n\r\n")
                .client("hello world")
                .server("HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n" + ok("stored"));
        assertEquals(List.of("request POST /upload", "request body: hello world",
                "response 200", "response body: stored", "finished POST " + URL + "/upload 200 COMPLETE 11/6"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void switchingProtocolsIsReportedAndTheRestIsNotParsed(Split split) {
        Conversation conversation = new Conversation()
                .client("GET /chat HTTP/1.1\r\nHost: host.httptap.local:8000\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                        + "\u0081\u0005hello")
                .client("\u0081\u0085\u0000\u0000\u0000\u0000hello")
                .server("\u0088\u0000")
                .close(false);
        assertEquals(List.of("request GET /chat", "response 101", "finished GET " + URL + "/chat 101 COMPLETE 0/0"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aFollowedSwitchHandsTheExchangeAndEveryLaterByteToTheNewProtocol(Split split) {
        RecordingListener listener = new RecordingListener();
        Successor successor = new Successor();
        Http1Connection connection = new Http1Connection(connectionInfo(), listener, new FakeClock(),
                (exchange, switching) -> {
                    successor.exchange = exchange;
                    return successor;
                });
        new Conversation()
                .client("GET /up HTTP/1.1\r\nHost: host.httptap.local:8000\r\nUpgrade: next\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: next\r\n\r\nserver's first")
                .client("client's first")
                .server(", more")
                .clientEnd()
                .close(false)
                .play(connection, split);
        assertEquals(List.of("request GET /up"), listener.events, "the exchange is the new protocol's to finish");
        assertEquals("GET", successor.exchange.request().method());
        assertTrue(successor.exchange.response().isEmpty(), "the 101 is not its response");
        assertEquals("server's first, more", successor.server.toString(StandardCharsets.ISO_8859_1));
        assertEquals("client's first", successor.client.toString(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("client end", "close"), successor.events);
        assertEquals(Http1Connection.State.SWITCHED_PROTOCOLS, connection.state());
    }

    @Test
    void anUpgradeAnsweredBeforeItsRequestBodyArrivedIsNotFollowed() {
        RecordingListener listener = new RecordingListener();
        Http1Connection connection = new Http1Connection(connectionInfo(), listener, new FakeClock(),
                (exchange, switching) -> {
                    throw new AssertionError("asked to follow");
                });
        new Conversation()
                .client("POST /up HTTP/1.1\r\nHost: host.httptap.local:8000\r\nUpgrade: next\r\n"
                        + "Content-Length: 9\r\n\r\nhalf")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: next\r\n\r\n")
                .close(false)
                .play(connection, Split.WHOLE);
        assertEquals("finished POST " + URL + "/up 101 COMPLETE 4/0", listener.events.get(listener.events.size() - 1));
    }

    /** The observer of a protocol switched to, recording what it is given. */
    private static final class Successor implements FlowObserver {
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();
        Exchange exchange;

        @Override
        public void onClientData(ByteBuffer data) {
            copy(data, client);
        }

        @Override
        public void onServerData(ByteBuffer data) {
            copy(data, server);
        }

        @Override
        public void onClientEnd() {
            events.add("client end");
        }

        @Override
        public void onClose(boolean reset) {
            events.add(reset ? "reset" : "close");
        }

        private static void copy(ByteBuffer data, ByteArrayOutputStream to) {
            assertTrue(data.isReadOnly());
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            to.writeBytes(bytes);
        }
    }

    @ParameterizedTest
    @MethodSource("splits")
    void connectTunnelIsReportedAndTheRestIsNotParsed(Split split) {
        Conversation conversation = new Conversation()
                .client("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection Established\r\n\r\n")
                .client("\u0016\u0003\u0001\u0000\u0005hello")
                .server("\u0016\u0003\u0003\u0000\u0001x");
        assertEquals(List.of("request CONNECT example.test:443", "response 200",
                "finished CONNECT http://example.test:443 200 COMPLETE 0/0"),
                play(conversation, split, Http1Connection.State.SWITCHED_PROTOCOLS));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void postBodiesWithLengthAndChunked(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /form HTTP/1.1\r\nHost: host.httptap.local:8000\r\nContent-Length: 7\r\n\r\na=1&b=2")
                .server(ok("got it"))
                .client("PUT /stream HTTP/1.1\r\nHost: host.httptap.local:8000\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4\r\npart\r\n3\r\nial\r\n0\r\n\r\n")
                .server("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertEquals(List.of("request POST /form", "request body: a=1&b=2",
                "response 200", "response body: got it", "finished POST " + URL + "/form 200 COMPLETE 7/6",
                "request PUT /stream", "request body: partial",
                "response 201", "finished PUT " + URL + "/stream 201 COMPLETE 7/0"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void transferEncodingWinsOverContentLength(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/both"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + "8\r\n12345678\r\n0\r\n\r\n");
        assertEquals(List.of("request GET /both", "response 200", "response body: 12345678",
                "finished GET " + URL + "/both 200 COMPLETE 0/8"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void bareLineFeedsAndLeadingEmptyLinesAreTolerated(Split split) {
        Conversation conversation = new Conversation()
                .client("\r\nGET /lf HTTP/1.1\nHost: host.httptap.local:8000\n\n")
                .server("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        assertEquals(List.of("request GET /lf", "response 200", "response body: ok",
                "finished GET " + URL + "/lf 200 COMPLETE 0/2"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anEarlyResponseFinishesOnceTheRequestBodyIsComplete(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /too-big HTTP/1.1\r\nHost: host.httptap.local:8000\r\nContent-Length: 10\r\n\r\n12345")
                .server("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n")
                .client("67890");
        assertEquals(List.of("request POST /too-big", "request body: 12345", "response 413", "request body: 67890",
                "finished POST " + URL + "/too-big 413 COMPLETE 10/0"),
                play(conversation, split, Http1Connection.State.WATCHING));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void serverClosingMidBodyCutsTheExchangeShort(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/partial"))
                .server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
                .serverEnd()
                .close(false);
        assertEquals(List.of("request GET /partial", "response 200", "response body: only this",
                "finished GET " + URL + "/partial 200 CLOSED_MID_RESPONSE 0/9"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void closingBeforeAnyResponseReportsNoResponse(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/lost") + get("/also-lost"))
                .serverEnd()
                .close(false);
        assertEquals(List.of("request GET /lost", "request GET /also-lost",
                "finished GET " + URL + "/lost - NO_RESPONSE 0/0",
                "finished GET " + URL + "/also-lost - NO_RESPONSE 0/0"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    /** curl gives up on a head that does not end after 100 KiB: its close or reset comes before any server FIN. */
    @ParameterizedTest
    @MethodSource("splits")
    void aClientLeavingInsideAResponseHeadIsReportedWithWhatCameNotAsNoResponse(Split split) {
        String head = "HTTP/1.1 200 OK\r\nX-More: " + "m".repeat(70_000);
        for (boolean reset : new boolean[] {true, false}) {
            Conversation conversation = new Conversation().client(get("/endless")).server(head).close(reset);
            assertEquals(List.of("request GET /endless", "finished GET " + URL + "/endless - UNPARSEABLE 0/0",
                    "not followed: response: the connection " + (reset ? "was reset" : "closed")
                            + " inside a head, after 70025 bytes"),
                    play(conversation, split, Http1Connection.State.CLOSED));
        }
    }

    /** Empty lines may come before a request line, not before a status line: clients refuse such a response. */
    @ParameterizedTest
    @MethodSource("splits")
    void anEmptyLineBeforeAStatusLineIsNotAResponse(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/empty-first"))
                .server("\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        assertEquals(List.of("request GET /empty-first", "finished GET " + URL + "/empty-first - UNPARSEABLE 0/0",
                "not followed: response: an empty line instead of a status line"),
                play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    /** Empty lines after a complete response, with no request waiting, are not a response at all. */
    @ParameterizedTest
    @MethodSource("splits")
    void emptyLinesAfterAResponseAreSkipped(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/trailing-crlf"))
                .server(ok("ok") + "\r\n")
                .serverEnd()
                .close(false);
        assertEquals(List.of("request GET /trailing-crlf", "response 200", "response body: ok",
                "finished GET " + URL + "/trailing-crlf 200 COMPLETE 0/2"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aServerClosingInsideAHeadIsReportedWithWhatItSentNotAsNoResponse(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/endless"))
                .server("HTTP/1.1 200 OK\r\nX-More: " + "m".repeat(70_000))
                .serverEnd()
                .close(false);
        assertEquals(List.of("request GET /endless", "finished GET " + URL + "/endless - UNPARSEABLE 0/0",
                "not followed: response: the server closed the connection inside a head, after 70025 bytes"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void anUploadContinuingAfterTheServerClosedIsIgnoredQuietly(Split split) {
        Conversation conversation = new Conversation()
                .client("POST /upload HTTP/1.1\r\nHost: host.httptap.local:8000\r\nContent-Length: 10\r\n\r\n12345")
                .serverEnd()
                .client("67890" + get("/after"));
        assertEquals(List.of("request POST /upload", "request body: 12345",
                "finished POST " + URL + "/upload - NO_RESPONSE 5/0"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void resetMidBodyIsReportedAsReset(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/stream"))
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
                .close(true);
        assertEquals(List.of("request GET /stream", "response 200", "response body: abcd",
                "finished GET " + URL + "/stream 200 RESET 0/4"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void resetDuringAReadUntilCloseBodyIsNotACompleteResponse(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/until-close"))
                .server("HTTP/1.1 200 OK\r\n\r\nsome")
                .close(true);
        assertEquals(List.of("request GET /until-close", "response 200", "response body: some",
                "finished GET " + URL + "/until-close 200 RESET 0/4"),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void garbageFromTheServerEndsFollowingWithoutAnException(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/x"))
                .server("SSH-2.0-OpenSSH_9.2\r\n\r\n")
                .client(get("/ignored"))
                .close(false);
        assertEquals(List.of("request GET /x", "finished GET " + URL + "/x - UNPARSEABLE 0/0",
                "not followed: response: not an HTTP/1 status line: \"SSH-2.0-OpenSSH_9.2\""),
                play(conversation, split, Http1Connection.State.CLOSED));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void brokenChunkFramingEndsFollowing(Split split) {
        Conversation conversation = new Conversation()
                .client(get("/bad-chunks"))
                .server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXYZ\r\n");
        assertEquals(List.of("request GET /bad-chunks", "response 200", "response body: abc",
                "finished GET " + URL + "/bad-chunks 200 UNPARSEABLE 0/3",
                "not followed: response: missing line end after chunk data"),
                play(conversation, split, Http1Connection.State.NOT_HTTP));
    }

    @Test
    void randomBinaryGarbageNeverThrows() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] client = new byte[1 + random.nextInt(3000)];
            byte[] server = new byte[1 + random.nextInt(3000)];
            random.nextBytes(client);
            random.nextBytes(server);
            Conversation conversation = new Conversation().client(client).server(server).close(round % 2 == 0);
            play(conversation, Split.random(round), Http1Connection.State.CLOSED);
        }
    }

    @Test
    void aHeadOfExactlyTheLimitIsFine() {
        String request = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: ";
        String big = "a".repeat(HeadReader.MAX_HEAD_BYTES - request.length() - 4);
        Conversation conversation = new Conversation().client(request + big + "\r\n\r\n");
        assertEquals(List.of("request GET /"), play(conversation, Split.WHOLE, Http1Connection.State.WATCHING));
    }

    @Test
    void aThrowingListenerDoesNotEscapeToTheRelay() {
        Http1Connection connection = new Http1Connection(connectionInfo(), new ExchangeListener() {
            @Override
            public void onRequestHead(Exchange exchange) {
                throw new IllegalStateException("sink bug");
            }
        }, new FakeClock());
        new Conversation().client(get("/")).server(ok("x")).close(false).play(connection, Split.WHOLE);
        assertEquals(Http1Connection.State.CLOSED, connection.state());
    }

    @Test
    void timesComeFromTheClock() {
        RecordingListener listener = new RecordingListener();
        FakeClock clock = new FakeClock();
        Http1Connection connection = new Http1Connection(connectionInfo(), listener, clock);
        connection.onClientData(ByteBuffer.wrap(get("/t").getBytes()));
        clock.advance(5);
        connection.onServerData(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n".getBytes()));
        clock.advance(7);
        connection.onServerData(ByteBuffer.wrap("x".getBytes()));
        Exchange exchange = listener.finished.get(0);
        assertEquals(Outcome.COMPLETE, exchange.outcome());
        assertEquals(FakeClock.START_MILLIS, exchange.startEpochMillis());
        assertEquals(List.of(0L, 5L, 12L), List.of(exchange.startNanos(), exchange.responseNanos(), exchange.endNanos()));
    }

    /** Time stands still unless a test moves it. */
    static final class FakeClock implements ExchangeClock {
        static final long START_MILLIS = 1_700_000_000_000L;
        private long nanos;

        void advance(long by) {
            nanos += by;
        }

        @Override
        public long epochMillis() {
            return START_MILLIS + nanos / 1_000_000;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }
}
