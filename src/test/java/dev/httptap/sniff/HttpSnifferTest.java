package dev.httptap.sniff;

import dev.httptap.event.ExchangeClock;
import dev.httptap.event.RecordingListener;
import dev.httptap.http1.Conversation;
import dev.httptap.http1.Split;
import dev.httptap.http2.Http2Frames;
import dev.httptap.stack.FlowId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
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
        String lowerCaseMethod = "get /hello HTTP/1.1\r\nHost: host.httptap.local:8000\r\n\r\n";
        Conversation conversation = new Conversation().client(lowerCaseMethod).server(RESPONSE).close(false);
        SniffOptions forced = new SniffOptions(Set.of(8000), Set.of());
        assertEquals(List.of(), heard(SniffOptions.defaults(), 8000, conversation, Split.WHOLE));
        assertEquals(List.of("request get /hello", "response 200", "response body: hello",
                "finished get http://host.httptap.local:8000/hello 200 COMPLETE 0/5"),
                heard(forced, 8000, conversation, Split.WHOLE));
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
