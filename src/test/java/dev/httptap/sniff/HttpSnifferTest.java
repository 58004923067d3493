package dev.httptap.sniff;

import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Header;
import dev.httptap.event.RecordingListener;
import dev.httptap.http1.Conversation;
import dev.httptap.http1.Split;
import dev.httptap.http2.Http2Frames;
import dev.httptap.stack.FlowId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpSnifferTest {
    private static final String REQUEST = "GET /hello HTTP/1.1\r\nHost: host.httptap.local:8000\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private static final List<String> REPORTED = List.of("request GET /hello", "response 200", "response body: hello",
            "finished GET http://host.httptap.local:8000/hello 200 COMPLETE 0/5");

    static List<Split> splits() {
        return Split.all();
    }

    /** Plays a conversation on a connection to {@code port} and returns what the listener heard. */
    private static List<String> heard(SniffOptions options, int port, Conversation conversation, Split split) {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(listener, options, ExchangeClock.SYSTEM);
        conversation.play(sniffer.open(flowTo(port), new InetSocketAddress("127.0.0.1", port)), split);
        return listener.events;
    }

    private static FlowId flowTo(int port) {
        return new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", port));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void httpOnAnyPortIsFoundFromItsFirstBytes(Split split) {
        Conversation conversation = new Conversation().client(REQUEST).server(RESPONSE).close(false);
        assertEquals(REPORTED, heard(SniffOptions.defaults(), 8000, conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void tlsIsOpaque(Split split) {
        Conversation conversation = new Conversation()
                .client("\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003" + REQUEST)
                .server("\u0016\u0003\u0003\u0000\u0010" + RESPONSE).close(false);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 8443, conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aServerSpeakingFirstIsOpaque(Split split) {
        Conversation conversation = new Conversation()
                .server("220 mail.test ESMTP\r\n").client("EHLO me\r\n" + REQUEST).server(RESPONSE).close(false);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 25, conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void http2WithPriorKnowledgeIsFollowedEvenWhenTheServerSendsItsSettingsFirst(Split split) {
        Http2Frames client = new Http2Frames().preface().settings();
        Http2Frames server = new Http2Frames().settings();
        Conversation conversation = new Conversation()
                .server(server.take())
                .client(client.request(1, true, "GET", "http", "host.httptap.local:8000", "/hello").take())
                .server(server.settingsAck().response(1, false, 200).data(1, true, "hello").take())
                .close(false);
        assertEquals(List.of("request GET http://host.httptap.local:8000/hello", "response 200", "response body: hello",
                "finished GET http://host.httptap.local:8000/hello 200 COMPLETE 0/5"),
                heard(SniffOptions.defaults(), 8000, conversation, split));
    }

    /** What curl --http2 sends for an http:// URL: the request, asking for h2c with its SETTINGS along. */
    private static String upgradeRequest(byte[] settings) {
        return "GET /hello HTTP/1.1\r\nHost: host.httptap.local:8000\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: " + Base64.getUrlEncoder().withoutPadding().encodeToString(settings)
                + "\r\n\r\n";
    }

    private static final String SWITCHING_TO_H2C = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            + "Upgrade: h2c\r\n\r\n";

    @ParameterizedTest
    @MethodSource("splits")
    void afterUpgradeToH2cTheRequestThatAskedIsAnsweredOnStream1AndLaterStreamsAreFollowed(Split split) {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        Http2Frames client = new Http2Frames();
        Http2Frames server = new Http2Frames();
        String url = "http://host.httptap.local:8000";
        Conversation conversation = new Conversation()
                .client(upgradeRequest(new byte[0]))
                .server(SWITCHING_TO_H2C)
                .server(server.settings().response(1, false, 200, "content-type", "text/plain").data(1, true, "hello")
                        .take())
                .client(client.preface().settings().settingsAck()
                        .request(3, true, "GET", "http", "host.httptap.local:8000", "/again").take())
                .server(server.settingsAck().response(3, false, 404).data(3, false, "n").take())
                .server(server.data(3, true, "o").take())
                .close(false);
        conversation.play(sniffer.open(flowTo(8000), new InetSocketAddress("127.0.0.1", 8000)), split);
        assertEquals(List.of("request GET /hello", "response 200", "response body: hello",
                "finished GET " + url + "/hello 200 COMPLETE 0/5", "request GET " + url + "/again", "response 404",
                "response body: no", "finished GET " + url + "/again 404 COMPLETE 0/2"), listener.events);
        Exchange upgrade = listener.finished.get(0);
        assertEquals("HTTP/1.1", upgrade.request().version(), "the request as it was sent");
        assertEquals("HTTP/2", upgrade.response().orElseThrow().version(), "the response as it came, not the 101");
        assertEquals(List.of(":status", "content-type"),
                upgrade.response().orElseThrow().headers().asList().stream().map(Header::name).toList());
    }

    @Test
    void theSettingsSentWithTheUpgradeLetTheServerUseALargerTableAtOnce() {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        byte[] largerTable = ByteBuffer.allocate(6).putShort((short) 0x1).putInt(65_536).array();
        Http2Frames server = new Http2Frames().settings().encoderTableCapacity(65_536);
        new Conversation()
                .client(upgradeRequest(largerTable))
                .server(SWITCHING_TO_H2C)
                .server(server.response(1, true, 204, "x-big", "y".repeat(5000)).take())
                .close(false)
                .play(sniffer.open(flowTo(8000), new InetSocketAddress("127.0.0.1", 8000)), Split.WHOLE);
        assertEquals(List.of("request GET /hello", "response 204",
                "finished GET http://host.httptap.local:8000/hello 204 COMPLETE 0/0"), listener.events);
    }

    @Test
    void aWebSocketUpgradeIsStillReportedAsItsOwn101() {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        new Conversation()
                .client("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                .server(new Http2Frames().settings().take())
                .close(false)
                .play(sniffer.open(flowTo(8000), new InetSocketAddress("127.0.0.1", 8000)), Split.WHOLE);
        assertEquals(List.of("request GET /chat", "response 101", "finished GET http://h:8000/chat 101 COMPLETE 0/0"),
                listener.events);
    }

    @Test
    void aServerSpeakingFirstAtLengthIsOpaque() {
        Conversation conversation = new Conversation()
                .server(new byte[ProtocolSniffer.MAX_SERVER_BYTES_FIRST + 1])
                .client(new Http2Frames().preface().settings().request(1, true, "GET", "http", "h", "/").take())
                .close(false);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 8000, conversation, Split.WHOLE));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void binaryIsOpaque(Split split) {
        Conversation conversation = new Conversation()
                .client(new byte[] {0, 0, 0, 42, 1, 2, 3}).client(REQUEST).server(RESPONSE).close(true);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 5432, conversation, split));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void somethingThatOnlyLooksLikeARequestLineIsDroppedByTheParser(Split split) {
        Conversation conversation = new Conversation()
                .client("HELLO there\r\nHost: x\r\n\r\n").server("HTTP/1.1 200 OK\r\n\r\n").close(false);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 7000, conversation, split));
    }

    @Test
    void aForcedHttpPortIsParsedEvenWhenItsFirstBytesLookOdd() {
        String leadingSpace = " GET /hello HTTP/1.1\r\nHost: host.httptap.local:8000\r\n\r\n";
        Conversation conversation = new Conversation().client(leadingSpace).server(RESPONSE).close(false);
        SniffOptions forced = new SniffOptions(Set.of(8000), Set.of());
        assertEquals(List.of(), heard(SniffOptions.defaults(), 8000, conversation, Split.WHOLE));
        assertEquals(List.of("request GET /hello", "response 200", "response body: hello",
                "finished GET http://host.httptap.local:8000/hello 200 COMPLETE 0/5"),
                heard(forced, 8000, conversation, Split.WHOLE));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aLowerCaseMethodAndTabsAreFollowedOnAnyPort(Split split) {
        Conversation conversation = new Conversation()
                .client("\r\nget\t\t/hello HTTP/1.1\r\nHost: host.httptap.local:8000\r\n\r\n").server(RESPONSE).close(false);
        assertEquals(List.of("request get /hello", "response 200", "response body: hello",
                "finished get http://host.httptap.local:8000/hello 200 COMPLETE 0/5"),
                heard(SniffOptions.defaults(), 8000, conversation, split));
    }

    @Test
    void garbageOnAForcedPortIsDroppedQuietly() {
        Conversation conversation = new Conversation().client(new byte[] {1, 2, 3, '\r', '\n', '\r', '\n'})
                .server(RESPONSE).close(false);
        assertEquals(List.of(), heard(SniffOptions.defaults(), 80, conversation, Split.BYTE_BY_BYTE));
    }

    @Test
    void plainHttpOnTheHttpsPortIsStillFound() {
        Conversation conversation = new Conversation().client(REQUEST).server(RESPONSE).close(false);
        assertEquals(REPORTED, heard(SniffOptions.defaults(), 443, conversation, Split.WHOLE));
    }

    @Test
    void decryptedTrafficIsReportedWithTheHttpsScheme() {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(listener, SniffOptions.defaults(), ExchangeClock.SYSTEM);
        new Conversation().client(REQUEST).server(RESPONSE).close(false)
                .play(sniffer.https().open(flowTo(8443), new InetSocketAddress("127.0.0.1", 8443)), Split.WHOLE);
        assertEquals("finished GET https://host.httptap.local:8000/hello 200 COMPLETE 0/5", listener.events.get(3));
    }
}
