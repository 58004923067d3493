package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Headers;
import dev.httptap.event.RecordingListener;
import dev.httptap.http1.Split;
import dev.httptap.http2.Http2Connection;
import dev.httptap.http2.Http2Frames;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP/2 502, fed the client's frames in pieces; its answers are listed and shown to the h2 observer. */
class Http2BadGatewayTest {
    private static final String HOST = "api.example.test";
    private static final String BODY = "httptap: cannot verify the TLS connection to " + HOST + ":443: expired\n";
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));
    private static final int PING = 0x6;
    private static final int ACK = 0x1;
    private static final String SHUTDOWN = "GOAWAY 2147483647 NO_ERROR";

    private final Http2BadGateway gateway = new Http2BadGateway(BODY.getBytes(StandardCharsets.UTF_8));
    private final RecordingListener listener = new RecordingListener();
    private final Http2Connection observer = new Http2Connection(new ConnectionInfo(FLOW, FLOW.server(), "https"),
            listener, ExchangeClock.SYSTEM);
    private final Http2Frames client = new Http2Frames();

    static List<Split> splits() {
        return Split.all();
    }

    @ParameterizedTest
    @MethodSource("splits")
    void aRequestGetsThe502AndTheConnectionShutsDownOnceThePingReturns(Split split) {
        List<String> answered = send(client.preface().settings().request(1, true, "GET", "https", HOST, "/items")
                .take(), split);
        assertEquals(List.of("SETTINGS", "SETTINGS ACK", "HEADERS 1", "DATA 1 END_STREAM", SHUTDOWN, "PING httptap!"),
                answered);
        assertFalse(gateway.isFinished(), "streams opened before the client heard of the shutdown are still due");

        assertEquals(List.of("GOAWAY 1 NO_ERROR"), send(pingAck("httptap!"), split));
        assertTrue(gateway.isFinished());
        assertEquals(List.of(), send(client.request(3, true, "GET", "https", HOST, "/late").take(), split));

        observer.onServerEnd();
        assertEquals(List.of("request GET https://" + HOST + "/items", "response 502", "response body: " + BODY,
                "finished GET https://" + HOST + "/items 502 COMPLETE 0/" + BODY.length()), listener.events);
        assertEquals(Headers.of(":status", "502", "content-type", "text/plain; charset=utf-8",
                "content-length", Integer.toString(BODY.length())),
                listener.finished.get(0).response().orElseThrow().headers());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void garbageInsteadOfThePrefaceIsAProtocolError(Split split) {
        assertEquals(List.of("SETTINGS", "GOAWAY 0 PROTOCOL_ERROR"),
                send("GET / HTTP/1.1\r\nHost: api.example.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII), split));
        assertTrue(gateway.isFinished());
    }

    @Test
    void everyStreamOpenedBeforeTheShutdownIsAnswered() {
        assertEquals(List.of("SETTINGS", "SETTINGS ACK", "HEADERS 1", "DATA 1 END_STREAM", SHUTDOWN, "PING httptap!",
                "HEADERS 3", "DATA 3 END_STREAM"), send(client.preface().settings()
                .request(1, true, "GET", "https", HOST, "/a").request(3, true, "GET", "https", HOST, "/b").take()));
        assertEquals(List.of("SETTINGS ACK", "HEADERS 5", "DATA 5 END_STREAM"), send(client.settingsAck().settings()
                .request(5, true, "GET", "https", HOST, "/c").take()));
        assertEquals(List.of("GOAWAY 5 NO_ERROR"), send(pingAck("httptap!")));
        observer.onServerEnd();
        assertEquals(3, listener.finished.size());
        listener.finished.forEach(exchange -> assertEquals(502, exchange.response().orElseThrow().status()));
    }

    @Test
    void pingsAreAcknowledgedAndOnlyTheShutdownPingEndsTheConnection() {
        assertEquals(List.of("SETTINGS", "PING ACK 12345678"), send(client.preface().frame(PING, 0, 0, bytes("12345678"))
                .take()));
        send(client.request(1, true, "GET", "https", HOST, "/").take());
        assertEquals(List.of(), send(pingAck("12345678")));
        assertFalse(gateway.isFinished());
    }

    @Test
    void aRequestWithABodyIsAnsweredAtItsHeadAndTheRestDeclined() {
        List<String> answered = send(client.preface().request(1, false, "POST", "https", HOST, "/upload")
                .data(1, false, "part").take());
        assertEquals(List.of("SETTINGS", "HEADERS 1", "DATA 1 END_STREAM", "RST_STREAM 1 NO_ERROR", SHUTDOWN,
                "PING httptap!"), answered);
        assertEquals("finished POST https://" + HOST + "/upload 502 COMPLETE 4/" + BODY.length(),
                listener.events.get(listener.events.size() - 1));
    }

    @Test
    void aHeaderBlockContinuedOverSeveralFramesIsAnsweredOnceWhole() {
        assertEquals(List.of("SETTINGS", "HEADERS 1", "DATA 1 END_STREAM", SHUTDOWN, "PING httptap!"),
                send(client.preface().requestInPieces(1, 10, "GET", HOST, "/profile", "cookie", "x".repeat(100))
                        .trailers(1, "grpc-status", "0").take()));
    }

    @Test
    void theClientsGoAwayEndsTheConnection() {
        send(client.preface().request(1, true, "GET", "https", HOST, "/").take());
        assertEquals(List.of("GOAWAY 1 NO_ERROR"), send(client.goAway(1, 0).take()));
        assertTrue(gateway.isFinished());
    }

    @Test
    void anOversizedFrameIsAFrameSizeError() {
        assertEquals(List.of("SETTINGS", "GOAWAY 0 FRAME_SIZE_ERROR"),
                send(client.preface().frame(0x0, 0, 1, new byte[16_385]).take()));
    }

    private byte[] pingAck(String opaque) {
        return client.frame(PING, ACK, 0, bytes(opaque)).take();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private List<String> send(byte[] bytes) {
        return send(bytes, Split.WHOLE);
    }

    /** Gives the client's bytes to the 502 in the split's pieces, both directions shown to the h2 observer. */
    private List<String> send(byte[] bytes, Split split) {
        ByteArrayOutputStream answered = new ByteArrayOutputStream();
        int at = 0;
        for (int length : split.pieces(bytes.length)) {
            ByteBuffer piece = ByteBuffer.wrap(bytes, at, length).slice();
            at += length;
            if (!gateway.isFinished()) { // as TlsInterceptor does, nothing is shown after the end
                observer.onClientData(piece.asReadOnlyBuffer());
            }
            ByteBuffer answer = gateway.answer(piece);
            assertFalse(piece.hasRemaining(), "every byte is read");
            observer.onServerData(answer.asReadOnlyBuffer());
            answered.write(answer.array(), answer.arrayOffset() + answer.position(), answer.remaining());
        }
        return ServerFrames.list(answered.toByteArray());
    }
}
