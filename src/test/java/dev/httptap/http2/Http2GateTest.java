package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.httptap.event.Header;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP/2 request, fed as frames, decided by its :authority before any of its stream reaches the
 * server; what each side is sent is read back as that side would read it, HPACK tables and all.
 */
class Http2GateTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("169.254.77.65", 443));
    private static final String FORBIDDEN = "httptap: the egress policy blocks denied.test:443 (--deny denied.test)\n";
    private static final String FORBIDDEN_HEAD = "[:status: 403, content-type: text/plain; charset=utf-8, content-length: "
            + FORBIDDEN.length() + "]";

    private final List<String> asked = new ArrayList<>();
    private final GateEnds sides = new GateEnds();
    private final Http2Frames client = new Http2Frames().preface().settings();
    private final Http2Frames server = new Http2Frames().settings();
    private final ServerNameCheck check = (flow, name, port, source) -> {
        asked.add(name.orElse("-") + ":" + port);
        return name.filter(host -> host.startsWith("denied")).map(denied -> "--deny denied.test");
    };
    private final FlowHandler gate = Http2Gate.before(FLOW, sides.peers, check, sides.inner);

    private void client(byte[] bytes) {
        gate.onClientData(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    private void server(byte[] bytes) {
        gate.onServerData(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    private List<String> serverSaw() throws Http2Exception {
        return FrameTranscript.ofClient(sides.toServer.toByteArray());
    }

    private List<String> clientSaw() throws Http2Exception {
        return FrameTranscript.ofServer(sides.toClient.toByteArray());
    }

    @Test
    void allowedRequestsPassAsTheyCame() throws Exception {
        server(server.take());
        byte[] sent = client.request(1, false, "POST", "https", "allowed.test", "/a", "accept", "*/*")
                .data(1, true, "body").request(3, true, "GET", "https", "allowed.test:443", "/b").take();
        client(sent);

        assertArrayEquals(sent, sides.toServer.toByteArray());
        assertEquals(List.of("allowed.test:443", "allowed.test:443"), asked);
        assertEquals(List.of("SETTINGS"), clientSaw());
    }

    /** The denied block added its :authority and x-secret to the table; the next block refers to them. */
    @Test
    void aDeniedStreamGetsA403AndTheServerDecodesTheLaterStreamsInStep() throws Exception {
        server(server.take());
        client(client.request(1, false, "POST", "https", "allowed.test", "/a", "x-token", "t1").take());
        client(client.request(3, false, "POST", "https", "denied.test", "/steal", "x-secret", "s3cret").take());
        client(client.data(3, false, "stolen").data(1, true, "mine").data(3, true, "more").take());
        client(client.request(5, true, "GET", "https", "allowed.test", "/b", "x-secret", "s3cret", "x-token", "t1").take());

        assertEquals(List.of("allowed.test:443", "denied.test:443", "allowed.test:443"), asked);
        assertEquals(List.of("preface", "SETTINGS",
                "HEADERS 1 [:method: POST, :scheme: https, :authority: allowed.test, :path: /a, x-token: t1]",
                "DATA 1 end mine",
                "HEADERS 5 end [:method: GET, :scheme: https, :authority: allowed.test, :path: /b, x-secret: s3cret, x-token: t1]"),
                serverSaw());
        String seen = new String(sides.toServer.toByteArray(), StandardCharsets.ISO_8859_1);
        assertFalse(seen.contains("denied") || seen.contains("steal") || seen.contains("stolen"), seen);
        assertEquals(List.of("SETTINGS", "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN, "RST_STREAM 3 0",
                "WINDOW_UPDATE 0 6", "WINDOW_UPDATE 0 4"), clientSaw(), "the dropped DATA is credited back");
        assertEquals(List.of(), sides.ends);
    }

    @Test
    void aDroppedBlockThatLeftTheTableAloneLetsLaterBlocksPassAsTheyCame() throws Exception {
        server(server.take());
        byte[] before = client.request(1, true, "GET", "https", "allowed.test", "/a").take();
        byte[] denied = client.headers(3, true, LiteralBlock.of(List.of(new Header(":method", "GET"),
                new Header(":scheme", "https"), new Header(":authority", "denied.test"), new Header(":path", "/")), -1)).take();
        byte[] after = client.request(5, true, "GET", "https", "allowed.test", "/b").take();
        client(before);
        client(denied);
        client(after);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(before);
        expected.writeBytes(after);
        assertArrayEquals(expected.toByteArray(), sides.toServer.toByteArray());
        assertEquals(List.of("SETTINGS", "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN), clientSaw());
    }

    @Test
    void headerBlocksInContinuationFramesReadAByteAtATime() throws Exception {
        server(server.take());
        byte[] bytes = client.requestInPieces(1, 7, "GET", "denied.test", "/x", "x-a", "1")
                .requestInPieces(3, 7, "GET", "allowed.test", "/y", "x-a", "1").take();
        for (byte b : bytes) {
            client(new byte[] {b});
        }

        assertEquals(List.of("preface", "SETTINGS",
                "HEADERS 3 end [:method: GET, :scheme: https, :authority: allowed.test, :path: /y, x-a: 1]"), serverSaw());
        assertEquals(List.of("SETTINGS", "HEADERS 1 " + FORBIDDEN_HEAD, "DATA 1 end " + FORBIDDEN), clientSaw());
    }

    @Test
    void theAnswerWaitsForTheServersSettings() throws Exception {
        client(client.request(1, true, "GET", "https", "denied.test", "/").take());
        assertEquals(List.of(), clientSaw(), "the server's SETTINGS must come first");

        server(server.take());
        assertEquals(List.of("SETTINGS", "HEADERS 1 " + FORBIDDEN_HEAD,
                "DATA 1 end " + FORBIDDEN), clientSaw());
    }

    @Test
    void theAnswerWaitsForTheEndOfTheServersHeaderBlock() throws Exception {
        server(server.take());
        client(client.request(1, true, "GET", "https", "allowed.test", "/a").take());
        server(server.frame(FrameHeader.HEADERS, 0, 1, new byte[] {(byte) 0x88}).take()); // :status 200, to be continued
        client(client.request(3, true, "GET", "https", "denied.test", "/").take());
        assertEquals(List.of("SETTINGS"), clientSaw(), "nothing may come inside the server's header block");

        server(server.frame(FrameHeader.CONTINUATION, FrameHeader.FLAG_END_HEADERS, 1, new byte[0]).data(1, true, "ok").take());
        assertEquals(List.of("SETTINGS", "HEADERS 1 [:status: 200]", "HEADERS 3 " + FORBIDDEN_HEAD,
                "DATA 3 end " + FORBIDDEN, "DATA 1 end ok"), clientSaw());
    }

    @Test
    void theAnswersDataIsTakenOutOfTheClientsNextCreditsToTheServer() throws Exception {
        server(server.take());
        client(client.request(1, true, "GET", "https", "denied.test", "/").take());
        client(client.windowUpdate(0, 50).windowUpdate(0, 100).windowUpdate(1, 100).windowUpdate(0, 7).take());

        assertEquals(List.of("preface", "SETTINGS", "WINDOW_UPDATE 0 " + (150 - FORBIDDEN.length()), "WINDOW_UPDATE 0 7"),
                serverSaw(), "nor does the stream's own credit reach the server, which never saw it");
    }

    @Test
    void theAnswerHasNoBodyWhenTheClientsStreamsStartWithoutRoom() throws Exception {
        server(server.take());
        client(client.frame(FrameHeader.SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) 4).putInt(10).array())
                .request(1, false, "POST", "https", "denied.test", "/").take());

        assertEquals(List.of("SETTINGS", "HEADERS 1 end [:status: 403, content-type: text/plain; charset=utf-8, content-length: 0]",
                "RST_STREAM 1 0"), clientSaw());
    }

    @Test
    void theHostFieldNamesTheServerWithoutAnAuthorityAndAnAuthoritysPortDecides() throws Exception {
        server(server.take());
        client(client.request(1, true, "GET", "https", "allowed.test:8443", "/").headers(3, true, LiteralBlock.of(List.of(
                new Header(":method", "GET"), new Header(":scheme", "https"), new Header(":path", "/"),
                new Header("host", "denied.test")), -1)).take());

        assertEquals(List.of("allowed.test:8443", "denied.test:443"), asked);
        assertEquals(List.of("SETTINGS", "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN), clientSaw());
    }

    @Test
    void aRequestNamingNoServerResetsWhenOnlyANameCouldAdmitIt() throws Exception {
        FlowHandler strict = Http2Gate.before(FLOW, sides.peers, (flow, name, port, source) ->
                name.isPresent() ? Optional.empty() : Optional.of("no --allow matches"), sides.inner);
        strict.onClientData(ByteBuffer.wrap(client.headers(1, true, LiteralBlock.of(List.of(new Header(":method", "GET"),
                new Header(":scheme", "https"), new Header(":path", "/")), -1)).take()));

        assertEquals(List.of("reset"), sides.ends);
        assertEquals(List.of("preface", "SETTINGS"), serverSaw());
    }

    @Test
    void framesThatBreakHttp2AfterThePrefaceReset() throws Exception {
        client(client.frame(FrameHeader.CONTINUATION, FrameHeader.FLAG_END_HEADERS, 1, new byte[] {(byte) 0x82}).take());
        assertEquals(List.of("reset"), sides.ends);

        server(server.take());
        assertEquals(List.of(), clientSaw(), "nothing goes on after a reset");
    }

    @Test
    void bytesThatAreNotHttp2PassUntouched() {
        byte[] request = "GET / HTTP/1.1\r\nHost: denied.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        client(request);
        server("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertArrayEquals(request, sides.toServer.toByteArray());
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", sides.toClient.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(), asked);
    }

    @Test
    void withoutAPolicyTheHandlerItself() {
        assertSame(sides.inner, Http2Gate.before(FLOW, sides.peers, ServerNameCheck.ALL, sides.inner));
    }
}
