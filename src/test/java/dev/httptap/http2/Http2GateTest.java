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
import java.util.Arrays;
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
        return FrameTranscript.ofClient(sides.toServer.toByteArray(), sides.toClient.toByteArray());
    }

    private List<String> clientSaw() throws Http2Exception {
        return FrameTranscript.ofServer(sides.toClient.toByteArray(), sides.toServer.toByteArray());
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
                new Header(":scheme", "https"), new Header(":authority", "denied.test"), new Header(":path", "/")))).take();
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
                new Header("host", "denied.test")))).take());

        assertEquals(List.of("allowed.test:8443", "denied.test:443"), asked);
        assertEquals(List.of("SETTINGS", "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN), clientSaw());
    }

    @Test
    void aRequestNamingNoServerResetsWhenOnlyANameCouldAdmitIt() throws Exception {
        FlowHandler strict = Http2Gate.before(FLOW, sides.peers, (flow, name, port, source) ->
                name.isPresent() ? Optional.empty() : Optional.of("no --allow matches"), sides.inner);
        strict.onClientData(ByteBuffer.wrap(client.headers(1, true, LiteralBlock.of(List.of(new Header(":method", "GET"),
                new Header(":scheme", "https"), new Header(":path", "/")))).take()));

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

    /**
     * The client lowered its table to 0; the server's SETTINGS ACK makes a table size update due at the start
     * of the next block the client reads. A 403 placed after the ACK carries it (nghttp2 fails the connection
     * without), one placed before does not (the old limit still holds), and the server's next block, which
     * carries its own, decodes.
     */
    @Test
    void aClientThatLoweredItsTableGetsTheUpdateDueIn403sAfterTheServersAck() throws Exception {
        client(client.settingsHeaderTableSize(0).request(1, true, "GET", "https", "allowed.test", "/a").take());
        server(server.settingsAck().response(1, false, 200, "x-served", "by-origin").take());
        client(client.request(3, true, "GET", "https", "denied.test", "/").take());
        server(server.settingsAck().encoderTableCapacity(0).take());
        client(client.request(5, true, "GET", "https", "denied.test", "/").request(7, true, "GET", "https", "allowed.test", "/b").take());
        server(server.response(7, true, 200, "x-served", "by-origin").take());

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "HEADERS 1 [:status: 200, x-served: by-origin]",
                "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN, "SETTINGS ack",
                "HEADERS 5 " + FORBIDDEN_HEAD, "DATA 5 end " + FORBIDDEN, "HEADERS 7 end [:status: 200, x-served: by-origin]"),
                clientSaw());
        assertEquals(List.of(), tableSizeUpdatesTo(3), "before the ACK the old limit holds");
        assertEquals(List.of(0L), tableSizeUpdatesTo(5));
    }

    /** The server's block after the ACK carried the update: the 403 after it carries none, and leaves the new entry alone. */
    @Test
    void afterTheServersOwnUpdateThe403CarriesNone() throws Exception {
        client(client.settingsHeaderTableSize(100).request(1, false, "POST", "https", "allowed.test", "/a").take());
        server(server.settingsAck().settingsAck().encoderTableCapacity(100).response(1, false, 200, "x-new", "v").take());
        client(client.request(3, true, "GET", "https", "denied.test", "/").take());
        server(server.trailers(1, "x-new", "v").take());

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "SETTINGS ack", "HEADERS 1 [:status: 200, x-new: v]",
                "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN, "HEADERS 1 end [x-new: v]"), clientSaw());
        assertEquals(List.of(), tableSizeUpdatesTo(3));
    }

    /** Lowered to 0 and raised again before any block: the smallest first, then the last (RFC 7541 section 4.2). */
    @Test
    void severalLimitsBeforeABlockAreSignalledSmallestThenLast() throws Exception {
        client(client.settingsHeaderTableSize(0).settingsHeaderTableSize(4096).take());
        server(server.settingsAck().settingsAck().settingsAck().take());
        client(client.request(1, true, "GET", "https", "denied.test", "/").take());

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "SETTINGS ack", "SETTINGS ack", "HEADERS 1 " + FORBIDDEN_HEAD,
                "DATA 1 end " + FORBIDDEN), clientSaw());
        assertEquals(List.of(0L, 4096L), tableSizeUpdatesTo(1));
    }

    @Test
    void aRaisedLimitNeedsNoUpdate() throws Exception {
        client(client.settingsHeaderTableSize(65536).take());
        server(server.settingsAck().settingsAck().take());
        client(client.request(1, true, "GET", "https", "denied.test", "/").take());

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "SETTINGS ack", "HEADERS 1 " + FORBIDDEN_HEAD,
                "DATA 1 end " + FORBIDDEN), clientSaw());
        assertEquals(List.of(), tableSizeUpdatesTo(1));
    }

    /** The 403 was decided while the server's ACK was cut short: it goes after the ACK, so it carries the update. */
    @Test
    void theUpdatesAreDecidedWhereThe403Goes() throws Exception {
        client(client.settingsHeaderTableSize(0).take());
        server(server.settingsAck().take());
        byte[] ack = server.settingsAck().take();
        server(Arrays.copyOf(ack, 5));
        client(client.request(1, true, "GET", "https", "denied.test", "/").take());
        server(Arrays.copyOfRange(ack, 5, ack.length));

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "SETTINGS ack", "HEADERS 1 " + FORBIDDEN_HEAD,
                "DATA 1 end " + FORBIDDEN), clientSaw());
        assertEquals(List.of(0L), tableSizeUpdatesTo(1));
    }

    /**
     * The server lowered its own table after the gate had emptied it: the client's encoder signals the new
     * limit, and the block the gate re-encodes in its place must open with an update too.
     */
    @Test
    void reencodedBlocksCarryAnUpdateWhereTheClientsBlockHadOne() throws Exception {
        server(server.take());
        client(client.request(1, true, "GET", "https", "denied.test", "/", "x-secret", "s3cret")
                .request(3, true, "GET", "https", "allowed.test", "/a", "x-secret", "s3cret").take());
        server(server.settingsHeaderTableSize(8192).settingsHeaderTableSize(100).take());
        client(client.settingsAck().settingsAck().settingsAck().encoderTableCapacity(100)
                .request(5, true, "GET", "https", "allowed.test", "/b", "x-secret", "s3cret").take());

        assertEquals(List.of("preface", "SETTINGS",
                "HEADERS 3 end [:method: GET, :scheme: https, :authority: allowed.test, :path: /a, x-secret: s3cret]",
                "SETTINGS ack", "SETTINGS ack", "SETTINGS ack",
                "HEADERS 5 end [:method: GET, :scheme: https, :authority: allowed.test, :path: /b, x-secret: s3cret]"), serverSaw());
    }

    /**
     * A pushed stream's PUSH_PROMISE is a block of the server's like its HEADERS: the 403 waits for its end
     * and, after it, carries no update. The client's frames on the pushed stream pass on; a request head on
     * a stream the client opened before (or on a pushed one) resets the connection before the server sees it.
     */
    @Test
    void pushedStreamsAreTheServersAndARequestHeadOnAnOpenedStreamResets() throws Exception {
        client(client.settingsHeaderTableSize(0).request(1, true, "GET", "https", "allowed.test", "/push").take());
        byte[] promise = server.settingsAck().settingsAck().encoderTableCapacity(0).pushPromise(1, 2, "allowed.test", "/pushed.css").take();
        promise[FrameHeader.SIZE * 3 + 4] &= ~FrameHeader.FLAG_END_HEADERS; // the block goes on in a CONTINUATION
        server(promise);
        client(client.request(3, true, "GET", "https", "denied.test", "/").windowUpdate(2, 100).rstStream(2, 8).take());
        server(server.frame(FrameHeader.CONTINUATION, FrameHeader.FLAG_END_HEADERS, 1, new byte[0]).take());
        client(client.request(1, true, "GET", "https", "denied.test", "/again").take());

        assertEquals(List.of("SETTINGS", "SETTINGS ack", "SETTINGS ack", "PUSH_PROMISE 1 promises 2 [:method: GET, :scheme: https, "
                + ":authority: allowed.test, :path: /pushed.css]", "HEADERS 3 " + FORBIDDEN_HEAD, "DATA 3 end " + FORBIDDEN), clientSaw());
        assertEquals(List.of(), tableSizeUpdatesTo(3));
        assertEquals(List.of("preface", "SETTINGS", "SETTINGS",
                "HEADERS 1 end [:method: GET, :scheme: https, :authority: allowed.test, :path: /push]",
                "WINDOW_UPDATE 2 100", "RST_STREAM 2 8"), serverSaw());
        assertEquals(List.of("reset"), sides.ends);
    }

    /** The table size updates at the start of the gate's header block (one HEADERS frame) on {@code stream} to the client. */
    private List<Long> tableSizeUpdatesTo(int stream) {
        ByteBuffer in = ByteBuffer.wrap(sides.toClient.toByteArray());
        while (in.remaining() >= FrameHeader.SIZE) {
            FrameHeader frame = FrameHeader.parse(in);
            int payload = in.position() + FrameHeader.SIZE;
            in.position(payload + frame.length());
            if (frame.type() == FrameHeader.HEADERS && frame.streamId() == stream) {
                return TableSizeRules.updatesAtStart(ByteBuffer.wrap(in.array(), payload, frame.length()));
            }
        }
        throw new AssertionError("no HEADERS on stream " + stream);
    }

    @Test
    void withoutAPolicyTheHandlerItself() {
        assertSame(sides.inner, Http2Gate.before(FLOW, sides.peers, ServerNameCheck.ALL, sides.inner));
    }
}
