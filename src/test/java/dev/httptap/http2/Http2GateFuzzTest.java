package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.fuzz.FuzzedPieces;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The egress policy's HTTP/2 gate on client frames built from fuzzed fields (requests for allowed and
 * denied servers, in one frame or in CONTINUATION pieces, DATA, any other frame) or on arbitrary bytes:
 * it never throws, and what each side is sent, and whether the connection is reset, do not depend on how
 * the client's bytes are split. And on a conversation of both sides in any order (a client lowering its
 * HPACK table, requests allowed and denied; a server acknowledging, answering, pushing), each side reads
 * every header block it is sent, under nghttp2's rules for table size updates.
 */
class Http2GateFuzzTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("169.254.77.65", 443));
    private static final ServerNameCheck CHECK = (flow, name, port, source) ->
            name.filter(host -> host.startsWith("denied")).map(denied -> "--deny denied.test")
                    .or(() -> name.isEmpty() ? Optional.of("no --allow matches") : Optional.empty());
    private static final int[] FRAME_TYPES = {FrameHeader.DATA, FrameHeader.HEADERS, FrameHeader.PRIORITY,
            FrameHeader.RST_STREAM, FrameHeader.SETTINGS, FrameHeader.PING, FrameHeader.GOAWAY,
            FrameHeader.WINDOW_UPDATE, FrameHeader.CONTINUATION, 0xfa};

    @FuzzTest
    void splitsDoNotMatter(FuzzedDataProvider data) {
        int[] cuts = FuzzedPieces.cuts(data);
        byte[] bytes = data.consumeBoolean() ? builtFrames(data) : data.consumeRemainingAsBytes();
        assertEquals(outcome(bytes, new int[0]), outcome(bytes, cuts), "the same bytes split differently");
    }

    private static byte[] builtFrames(FuzzedDataProvider data) {
        Http2Frames frames = new Http2Frames().preface().settings();
        for (int count = data.consumeInt(1, 12); count > 0 && data.remainingBytes() > 0; count--) {
            int streamId = data.consumeInt(0, 9);
            String authority = data.pickValue(new String[] {"allowed.test", "denied.test", "allowed.test:8443"});
            switch (data.consumeInt(0, 3)) {
                case 0 -> frames.request(streamId, data.consumeBoolean(), "GET", "https", authority, "/" + streamId,
                        "x-fuzz", data.consumeAsciiString(20).replaceAll("[^A-Za-z0-9]", "x") + "v");
                case 1 -> frames.requestInPieces(streamId, data.consumeInt(1, 40), "POST", authority, "/p");
                case 2 -> frames.data(streamId, data.consumeBoolean(), data.consumeAsciiString(30));
                default -> frames.frame(data.pickValue(FRAME_TYPES), data.consumeInt(0, 255), streamId,
                        data.consumeBytes(data.consumeInt(0, 100)));
            }
        }
        return frames.take();
    }

    @FuzzTest
    void bothSidesReadEveryHeaderBlock(FuzzedDataProvider data) throws Http2Exception {
        GateEnds sides = new GateEnds();
        FlowHandler gate = Http2Gate.before(FLOW, sides.peers, CHECK, sides.inner);
        Http2Frames client = new Http2Frames().preface().settings();
        Http2Frames server = new Http2Frames().settings();
        ArrayDeque<Integer> unacknowledged = new ArrayDeque<>(List.of(-1)); // the table size each SETTINGS asks for
        ArrayDeque<Integer> unanswered = new ArrayDeque<>();
        int tableSize = 4096;
        int nextStream = 1;
        gate.onClientData(ByteBuffer.wrap(client.take()).asReadOnlyBuffer());
        gate.onServerData(ByteBuffer.wrap(server.take()).asReadOnlyBuffer());
        for (int step = data.consumeInt(1, 24); step > 0 && data.remainingBytes() > 0; step--) {
            switch (data.consumeInt(0, 5)) {
                case 0 -> { // only ever lower: a Jetty encoder then signals as RFC 7541 section 4.2 asks
                    tableSize = data.consumeInt(0, tableSize);
                    unacknowledged.add(tableSize);
                    client.settingsHeaderTableSize(tableSize);
                }
                case 1, 2 -> {
                    boolean denied = data.consumeBoolean();
                    client.request(nextStream, true, "GET", "https", denied ? "denied.test" : "allowed.test", "/" + nextStream,
                            "x-same", "v", "x-n", Integer.toString(nextStream));
                    if (!denied) {
                        unanswered.add(nextStream);
                    }
                    nextStream += 2;
                }
                case 3 -> {
                    Integer asked = unacknowledged.poll();
                    if (asked != null) {
                        server.settingsAck();
                        if (asked >= 0) {
                            server.encoderTableCapacity(asked);
                        }
                    }
                }
                case 4 -> {
                    Integer stream = unanswered.poll();
                    if (stream != null) {
                        server.response(stream, true, 200, "x-same", "v", "x-n", Integer.toString(stream));
                    }
                }
                default -> {
                    if (!unanswered.isEmpty()) {
                        server.pushPromise(unanswered.peek(), 2 * nextStream, "allowed.test", "/pushed" + nextStream);
                    }
                }
            }
            gate.onClientData(ByteBuffer.wrap(client.take()).asReadOnlyBuffer());
            gate.onServerData(ByteBuffer.wrap(server.take()).asReadOnlyBuffer());
        }
        byte[] toServer = sides.toServer.toByteArray();
        byte[] toClient = sides.toClient.toByteArray();
        String seen = String.join("\n", FrameTranscript.ofServer(toClient, toServer)) + "\n"
                + String.join("\n", FrameTranscript.ofClient(toServer, toClient));
        assertFalse(seen.contains("COMPRESSION_ERROR") || seen.contains("malformed"), seen);
        assertEquals(List.of(), sides.ends);
    }

    /** What the server and the client were sent, in hex, and whether the connection was reset. */
    private static String outcome(byte[] bytes, int[] cuts) {
        GateEnds sides = new GateEnds();
        FlowHandler gate = Http2Gate.before(FLOW, sides.peers, CHECK, sides.inner);
        gate.onServerData(ByteBuffer.wrap(new Http2Frames().settings().take()).asReadOnlyBuffer());
        for (ByteBuffer piece : FuzzedPieces.pieces(bytes, cuts)) {
            gate.onClientData(piece.asReadOnlyBuffer());
        }
        return "server " + HexFormat.of().formatHex(sides.toServer.toByteArray()) + "\nclient "
                + HexFormat.of().formatHex(sides.toClient.toByteArray()) + "\n" + sides.ends;
    }
}
