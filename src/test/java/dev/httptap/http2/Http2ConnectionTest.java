package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RecordingListener;
import dev.httptap.http1.Conversation;
import dev.httptap.http1.Split;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Http2ConnectionTest {
    private static final String HOST = "api.example.test";
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));

    private final RecordingListener listener = new RecordingListener();
    private final Http2Frames client = new Http2Frames().preface().settings();
    private final Http2Frames server = new Http2Frames().settings();
    private Http2Connection connection;

    static List<Split> splits() {
        return Split.all();
    }

    private List<String> play(Conversation conversation, Split split) {
        connection = new Http2Connection(new ConnectionInfo(FLOW, FLOW.server(), "https"), listener,
                ExchangeClock.SYSTEM);
        conversation.play(connection, split);
        return listener.events;
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aGetAndItsResponseMakeOneExchange(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/items?page=2", "accept", "*/*").take())
                .server(server.settingsAck().response(1, false, 200, "content-type", "text/plain")
                        .data(1, false, "hel").data(1, true, "lo").take())
                .client(client.settingsAck().take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/items?page=2", "response 200", "response body: hello",
                "finished GET https://" + HOST + "/items?page=2 200 COMPLETE 0/5"), play(conversation, split));
        Exchange exchange = listener.finished.get(0);
        assertEquals("HTTP/2", exchange.request().version());
        assertEquals(Headers.of(":method", "GET", ":scheme", "https", ":authority", HOST, ":path", "/items?page=2",
                "accept", "*/*"), exchange.request().headers());
        assertEquals("HTTP/2", exchange.response().orElseThrow().version());
        assertEquals(Headers.of(":status", "200", "content-type", "text/plain"),
                exchange.response().orElseThrow().headers());
        assertEquals(Http2Connection.State.CLOSED, connection.state());
    }

    /** node's http2 writes the default port out; a client may leave out the port the connection used. */
    @Test
    void urlsCarryThePortAsTheUserTypedIt() {
        FlowId to8443 = new FlowId(FLOW.client(), new InetSocketAddress("192.0.2.10", 8443));
        connection = new Http2Connection(new ConnectionInfo(to8443, to8443.server(), "https"), listener,
                ExchangeClock.SYSTEM);
        new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/lacking").take())
                .client(client.request(3, true, "GET", "https", HOST + ":443", "/default").take())
                .client(client.request(5, true, "GET", "https", "[2001:db8:0:0::1]:8443", "/v6").take())
                .play(connection, Split.WHOLE);
        assertEquals(List.of("request GET https://" + HOST + ":8443/lacking", "request GET https://" + HOST + "/default",
                "request GET https://[2001:db8::1]:8443/v6"), listener.events);
    }

    @ParameterizedTest
    @MethodSource("splits")
    void bodiesAreCountedWithoutTheirPadding(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, false, "POST", "https", HOST, "/upload")
                        .paddedData(1, false, "name=", 7).paddedData(1, true, "httptap", 0).take())
                .server(server.response(1, false, 201).paddedData(1, true, "ok", 255).take())
                .close(false);
        assertEquals(List.of("request POST https://" + HOST + "/upload", "request body: name=httptap",
                "response 201", "response body: ok", "finished POST https://" + HOST + "/upload 201 COMPLETE 12/2"),
                play(conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aHeaderBlockContinuedOverSeveralFramesIsReadWhole(Split split) {
        String cookie = "session=" + "x".repeat(300);
        Conversation conversation = new Conversation()
                .client(client.requestInPieces(1, 50, "GET", HOST, "/profile", "cookie", cookie).take())
                .server(server.response(1, true, 204).take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/profile", "response 204",
                "finished GET https://" + HOST + "/profile 204 COMPLETE 0/0"), play(conversation, split));
        assertEquals(Headers.of(":method", "GET", ":scheme", "https", ":authority", HOST, ":path", "/profile",
                "cookie", cookie), listener.finished.get(0).request().headers());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void interleavedStreamsShareTheDynamicTablesAndFinishInTheirOwnOrder(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/a", "user-agent", "test/1.0").take())
                .client(client.request(3, true, "GET", "https", HOST, "/b", "user-agent", "test/1.0").take())
                .server(server.response(3, false, 200, "server", "unit").response(1, false, 404, "server", "unit")
                        .data(1, false, "not ").data(3, true, "bee").data(1, true, "found").take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/a", "request GET https://" + HOST + "/b",
                "response 200", "response 404", "response body: not bee",
                "finished GET https://" + HOST + "/b 200 COMPLETE 0/3", "response body: found",
                "finished GET https://" + HOST + "/a 404 COMPLETE 0/9"), play(conversation, split));
        assertEquals(Headers.of(":method", "GET", ":scheme", "https", ":authority", HOST, ":path", "/a",
                "user-agent", "test/1.0"), listener.finished.get(1).request().headers());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void grpcTrailersAreKeptWithTheExchange(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, false, "POST", "https", HOST, "/helloworld.Greeter/SayHello",
                        "content-type", "application/grpc", "te", "trailers").data(1, true, "\0\0\0\0\3abc").take())
                .server(server.response(1, false, 200, "content-type", "application/grpc")
                        .data(1, false, "\0\0\0\0\2ok").trailers(1, "grpc-status", "0", "grpc-message", "").take())
                .close(false);
        play(conversation, split);
        Exchange exchange = listener.finished.get(0);
        assertEquals(Outcome.COMPLETE, exchange.outcome());
        assertEquals(200, exchange.response().orElseThrow().status());
        assertEquals(Headers.of("grpc-status", "0", "grpc-message", ""), exchange.trailers());
        assertEquals(8, exchange.requestBodyBytes());
        assertEquals(7, exchange.responseBodyBytes());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aPushedResponseIsReportedAsItsOwnExchange(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/index.html").take())
                .server(server.pushPromise(1, 2, HOST, "/style.css").response(1, false, 200).data(1, true, "<html>")
                        .response(2, false, 200, "content-type", "text/css").data(2, true, "p{}").take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/index.html", "request GET https://" + HOST + "/style.css",
                "response 200", "response body: <html>", "finished GET https://" + HOST + "/index.html 200 COMPLETE 0/6",
                "response 200", "response body: p{}", "finished GET https://" + HOST + "/style.css 200 COMPLETE 0/3"),
                play(conversation, split));
    }

    @Test
    void aPromiseNamingTheClientsStreamDoesNotReplaceItsExchange() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/index.html").take())
                .server(server.pushPromise(1, 1, HOST, "/forged").pushPromise(1, 3, HOST, "/odd")
                        .response(1, false, 200).data(1, true, "<html>").take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/index.html", "response 200", "response body: <html>",
                "finished GET https://" + HOST + "/index.html 200 COMPLETE 0/6"), play(conversation, Split.WHOLE));
    }

    @Test
    void aSecondPromiseOfTheSameStreamIsIgnored() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/index.html").take())
                .server(server.pushPromise(1, 2, HOST, "/style.css").pushPromise(1, 2, HOST, "/forged.css")
                        .response(2, false, 200).data(2, true, "p{}").response(1, true, 204).take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/index.html", "request GET https://" + HOST + "/style.css",
                "response 200", "response body: p{}", "finished GET https://" + HOST + "/style.css 200 COMPLETE 0/3",
                "response 204", "finished GET https://" + HOST + "/index.html 204 COMPLETE 0/0"),
                play(conversation, Split.WHOLE));
    }

    @Test
    void interimResponsesAreSkipped() {
        Conversation conversation = new Conversation()
                .client(client.request(1, false, "PUT", "https", HOST, "/f", "expect", "100-continue").take())
                .server(server.response(1, false, 100).take())
                .client(client.data(1, true, "abc").take())
                .server(server.response(1, true, 200).take())
                .close(false);
        assertEquals(List.of("request PUT https://" + HOST + "/f", "request body: abc", "response 200",
                "finished PUT https://" + HOST + "/f 200 COMPLETE 3/0"), play(conversation, Split.WHOLE));
    }

    @Test
    void aStreamResetBeforeItsResponseEndsIsReset() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/slow").take())
                .server(server.response(1, false, 200).data(1, false, "part").take())
                .client(client.rstStream(1, 8).take())
                .close(false);
        assertEquals("finished GET https://" + HOST + "/slow 200 RESET 0/4", play(conversation, Split.WHOLE).get(3));
    }

    @Test
    void aServerThatAnswersBeforeTheUploadEndsAndResetsIsComplete() {
        Conversation conversation = new Conversation()
                .client(client.request(1, false, "POST", "https", HOST, "/big").data(1, false, "aaaa").take())
                .server(server.response(1, true, 413).rstStream(1, 0).take())
                .close(false);
        assertEquals("finished POST https://" + HOST + "/big 413 COMPLETE 4/0",
                play(conversation, Split.WHOLE).get(3));
    }

    @Test
    void streamsAfterGoAwaysLastStreamGetNoResponse() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/one").request(3, true, "GET", "https", HOST,
                        "/two").take())
                .server(server.goAway(1, 0).response(1, true, 204).take())
                .serverEnd().close(false);
        assertEquals(List.of("request GET https://" + HOST + "/one", "request GET https://" + HOST + "/two",
                "finished GET https://" + HOST + "/two - NO_RESPONSE 0/0", "response 204",
                "finished GET https://" + HOST + "/one 204 COMPLETE 0/0"), play(conversation, Split.WHOLE));
    }

    @Test
    void aServerClosingMidResponseCutsItShort() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/big").request(3, true, "GET", "https", HOST,
                        "/never").take())
                .server(server.response(1, false, 200).data(1, false, "some").take())
                .serverEnd().close(false);
        List<String> events = play(conversation, Split.WHOLE);
        assertEquals(List.of("finished GET https://" + HOST + "/big 200 CLOSED_MID_RESPONSE 0/4",
                "finished GET https://" + HOST + "/never - NO_RESPONSE 0/0"), events.subList(4, 6));
    }

    @Test
    void aResetConnectionResetsWhatIsOpen() {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/x").take())
                .close(true);
        assertEquals("finished GET https://" + HOST + "/x - RESET 0/0", play(conversation, Split.WHOLE).get(1));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aLargerHeaderTableAllowedInSettingsIsFollowed(Split split) {
        String big = "v".repeat(3000);
        Conversation conversation = new Conversation()
                .client(client.settingsHeaderTableSize(65536).request(1, true, "GET", "https", HOST, "/1").take())
                .server(server.encoderTableCapacity(65536).response(1, true, 200, "x-a", big, "x-b", big).take())
                .client(client.request(3, true, "GET", "https", HOST, "/2").take())
                .server(server.response(3, true, 200, "x-a", big, "x-b", big).take())
                .close(false);
        List<String> events = play(conversation, split);
        assertEquals("finished GET https://" + HOST + "/2 200 COMPLETE 0/0", events.get(events.size() - 1));
        assertEquals(Headers.of(":status", "200", "x-a", big, "x-b", big),
                listener.finished.get(1).response().orElseThrow().headers());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void unknownAndIgnoredFramesAreSkipped(Split split) {
        Conversation conversation = new Conversation()
                .client(client.frame(0xfa, 0xff, 1, new byte[300]).ping().windowUpdate(0, 1000)
                        .request(1, true, "GET", "https", HOST, "/").take())
                .server(server.frame(0x10, 0, 0, new byte[] {1, 2, 3}).response(1, true, 200).take())
                .close(false);
        assertEquals("finished GET https://" + HOST + "/ 200 COMPLETE 0/0", play(conversation, split).get(2));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void garbageEndsTheWatchingAndCutsOpenExchangesShort(Split split) {
        Conversation conversation = new Conversation()
                .client(client.request(1, true, "GET", "https", HOST, "/").take())
                .server(server.frame(FrameHeader.SETTINGS, 0, 0, new byte[7]).take())
                .server(server.response(1, true, 200).take())
                .close(false);
        assertEquals(List.of("request GET https://" + HOST + "/", "finished GET https://" + HOST + "/ - UNPARSEABLE 0/0",
                "not followed: server: a SETTINGS frame of 7 bytes, not a multiple of 6"), play(conversation, split));
        assertEquals(Http2Connection.State.CLOSED, connection.state());
    }

    @Test
    void aWrongPrefaceIsNotHttp2AndDroppedQuietly() {
        assertEquals(List.of(), play(new Conversation().client("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"), Split.WHOLE));
        assertEquals(Http2Connection.State.NOT_HTTP2, connection.state());
    }

    @Test
    void anHpackErrorEndsTheWatching() {
        Conversation conversation = new Conversation()
                .client(client.headers(1, true, new byte[] {(byte) 0xff, 0x00}).take())
                .client(client.request(3, true, "GET", "https", HOST, "/").take());
        assertEquals(List.of("connection not followed: cannot follow the connection: client: HPACK: Unknown index 127"),
                play(conversation, Split.WHOLE), "after the preface, the connection is HTTP/2: one line says it is lost");
        assertEquals(Http2Connection.State.NOT_HTTP2, connection.state());
    }

    /** "x: y" (literal, new name) and then ":method: GET" (indexed): pseudo-header fields must come first. */
    private static final String REGULAR_THEN_PSEUDO = "00017801798286";

    @Test
    void aMalformedRequestLosesOnlyItsStream() {
        Conversation conversation = new Conversation()
                .client(client.headers(1, true, HeaderBlockDecoderTest.hex(REGULAR_THEN_PSEUDO).array()).take())
                .client(client.request(3, true, "GET", "https", HOST, "/fine").take())
                .server(server.response(3, true, 200).take());
        assertEquals(List.of("request GET https://" + HOST + "/fine", "response 200",
                "finished GET https://" + HOST + "/fine 200 COMPLETE 0/0"), play(conversation, Split.WHOLE));
    }

    @Test
    void frameRulesAreChecked() {
        client.take(); // each case below gets its own preface
        List<byte[]> frames = List.of(
                client.data(0, true, "x").take(),                       // DATA on stream 0
                client.frame(FrameHeader.SETTINGS, 0, 1, new byte[0]).take(), // SETTINGS on a stream
                client.frame(FrameHeader.SETTINGS, 0, 0, new byte[5]).take(), // not a multiple of 6
                client.frame(FrameHeader.RST_STREAM, 0, 1, new byte[3]).take(),
                client.frame(FrameHeader.DATA, FrameHeader.FLAG_PADDED, 1, new byte[] {9, 1, 2}).take(),
                client.frame(FrameHeader.CONTINUATION, FrameHeader.FLAG_END_HEADERS, 1, new byte[1]).take(),
                client.frame(FrameHeader.HEADERS, 0, 1, new byte[0]).ping().take(), // interrupted block
                client.frame(FrameHeader.HEADERS, FrameHeader.FLAG_END_HEADERS, 1,
                        new byte[FrameReader.MAX_HEADER_BLOCK_BYTES + 1]).take());
        for (int i = 0; i < frames.size(); i++) {
            byte[] prefaced = new Http2Frames().preface().raw(frames.get(i)).take();
            play(new Conversation().client(prefaced), Split.WHOLE);
            assertEquals(Http2Connection.State.NOT_HTTP2, connection.state(), "frame " + i);
        }
    }

    /** After the whole preface the connection is HTTP/2: losing it, even before a request, is worth a line. */
    @Test
    void aContinuationFloodBeforeAnyRequestIsOneLine() {
        client.frame(FrameHeader.HEADERS, 0, 1, new byte[] {(byte) 0x82});
        for (int i = 0; i < 200; i++) {
            client.frame(FrameHeader.CONTINUATION, 0, 1, new byte[2048]);
        }
        assertEquals(List.of("connection not followed: cannot follow the connection: client: a header block on stream 1 "
                + "is larger than "
                + FrameReader.MAX_HEADER_BLOCK_BYTES + " bytes"), play(new Conversation().client(client.take()), Split.WHOLE));
        assertEquals(Http2Connection.State.NOT_HTTP2, connection.state());
    }
}
