package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.relay.FlowHandler;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which bytes of a connection to an HTTP proxy go to the plain handler, and which to a CONNECT tunnel's. */
class ConnectTunnelTest {
    private static final FlowId TO_PROXY = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("169.254.77.65", 3128));
    private static final String CONNECT = "CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443\r\n\r\n";
    private static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

    private final List<String> plainEvents = new ArrayList<>();
    private final List<String> tunnelEvents = new ArrayList<>();
    private final List<FlowId> tunnelFlows = new ArrayList<>();
    private final ConnectTunnel watch = new ConnectTunnel(TO_PROXY, RecordingPeers.recordingHandler(plainEvents), flow -> {
        tunnelFlows.add(flow);
        return RecordingPeers.recordingHandler(tunnelEvents);
    });

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
    }

    @Test
    void afterTheProxysTwoHundredTheBytesAreTheTunnels() {
        watch.onClientData(bytes(CONNECT));
        watch.onServerData(bytes(ESTABLISHED));
        watch.onClientData(bytes("<ClientHello>"));
        watch.onServerData(bytes("<ServerHello>"));
        watch.onClientEnd();
        watch.onServerEnd();
        watch.onClose(false);

        assertEquals(List.of("client " + CONNECT, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>", "server <ServerHello>", "client end", "server end"), tunnelEvents);
        assertEquals(List.of(new FlowId(TO_PROXY.client(), new InetSocketAddress(TO_PROXY.server().getAddress(), 443))),
                tunnelFlows, "a name's tunnel: the target's port at the proxy's address (httptap looks up no name)");
    }

    @Test
    void bytesSentBeforeTheAnswerWaitForIt() {
        watch.onClientData(bytes(CONNECT + "<ClientHello"));
        watch.onClientData(bytes(" part two>"));
        assertEquals(List.of("client " + CONNECT), plainEvents, "held until the proxy answers");

        watch.onServerData(bytes("HTTP/1.1 200 OK\r\n"));
        watch.onServerData(bytes("Via: proxy\r\n\r\n<ServerHello>"));

        assertEquals(List.of("client " + CONNECT, "server HTTP/1.1 200 OK\r\n", "server Via: proxy\r\n\r\n"), plainEvents);
        assertEquals(List.of("server <ServerHello>", "client <ClientHello part two>"), tunnelEvents);
    }

    @Test
    void anInterimAnswerIsFollowedByTheFinalOne() {
        watch.onClientData(bytes(CONNECT));
        watch.onServerData(bytes("HTTP/1.1 100 Continue\r\n\r\n" + ESTABLISHED));
        watch.onClientData(bytes("<ClientHello>"));
        assertEquals(List.of("client " + CONNECT, "server HTTP/1.1 100 Continue\r\n\r\n" + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aRetryAfterARefusalWithCredentialsOpensTheTunnel() {
        String refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 6\r\n\r\n";
        String retry = "CONNECT api.example.test:443 HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n\r\n";
        watch.onClientData(bytes(CONNECT));
        watch.onServerData(bytes(refusal + "den"));
        watch.onServerData(bytes("ied"));
        watch.onClientData(bytes(retry));
        watch.onServerData(bytes(ESTABLISHED));
        watch.onClientData(bytes("<ClientHello>"));

        assertEquals(List.of("client " + CONNECT, "server " + refusal + "den", "server ied", "client " + retry,
                "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aRetrySentBeforeTheRefusalsBodyWaitsForItsOwnAnswer() {
        String refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 6\r\n\r\n";
        String retry = "CONNECT api.example.test:443 HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n\r\n";
        watch.onClientData(bytes(CONNECT));
        watch.onClientData(bytes(retry));
        watch.onServerData(bytes(refusal));
        watch.onServerData(bytes("denied" + ESTABLISHED));
        watch.onClientData(bytes("<ClientHello>"));
        assertEquals(List.of("client " + CONNECT, "server " + refusal, "server denied", "client " + retry,
                "server " + ESTABLISHED), plainEvents, "the retry goes on once the refusal is whole");
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aRetryAfterAChunkedRefusalOpensTheTunnel() {
        String refusal = "HTTP/1.1 407 Proxy Authentication Required\r\nTransfer-Encoding: chunked\r\n\r\n";
        String retry = "CONNECT api.example.test:443 HTTP/1.1\r\nProxy-Authorization: Basic eA==\r\n\r\n";
        watch.onClientData(bytes(CONNECT));
        watch.onClientData(bytes(retry));
        watch.onServerData(bytes(refusal + "6\r\ndenied\r\n"));
        watch.onServerData(bytes("0\r\n\r\n" + ESTABLISHED + "<ServerHello>"));
        watch.onClientData(bytes("<ClientHello>"));

        assertEquals(List.of("client " + CONNECT, "server " + refusal + "6\r\ndenied\r\n", "server 0\r\n\r\n",
                "client " + retry, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("server <ServerHello>", "client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aRefusalWhoseBodyRunsToTheCloseLeavesTheConnectionPlain() {
        // Nothing can follow such an answer on the connection: what the child sent after its CONNECT goes on.
        String refusal = "HTTP/1.1 403 Forbidden\r\n\r\nnot here";
        watch.onClientData(bytes(CONNECT + "<early>"));
        watch.onServerData(bytes(refusal));
        watch.onServerEnd();
        assertEquals(List.of("client " + CONNECT, "client <early>", "server " + refusal, "server end"), plainEvents);
        assertEquals(List.of(), tunnelFlows);
    }

    @Test
    void aConnectAfterAnotherRequestToTheProxyOpensTheTunnel() {
        // curl fetching http:// then https:// through one proxy: a GET in absolute form, then CONNECT on the same connection.
        String get = "GET http://api.example.test/a HTTP/1.1\r\nHost: api.example.test\r\n\r\n";
        String answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        watch.onClientData(bytes(get));
        watch.onServerData(bytes(answer));
        watch.onClientData(bytes(CONNECT + "<ClientHello>"));
        watch.onServerData(bytes(ESTABLISHED));

        assertEquals(List.of("client " + get, "server " + answer, "client " + CONNECT, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aConnectPipelinedAfterAnotherRequestIsAnsweredAfterIt() {
        String post = "POST http://api.example.test/a HTTP/1.1\r\nContent-Length: 19\r\n\r\n"
                + "HTTP/1.1 200 OK\r\n\r\n"; // a body that looks like an answer is a body
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
        watch.onClientData(bytes(post + CONNECT + "<ClientHello>"));
        watch.onServerData(bytes(answer));
        assertEquals(List.of(), tunnelFlows, "the POST's answer is no answer to the CONNECT");
        watch.onServerData(bytes(ESTABLISHED));

        assertEquals(List.of("client " + post + CONNECT, "server " + answer, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void aRequestInOriginFormIsToAServerNotAProxy() {
        String get = "GET /a HTTP/1.1\r\nHost: api.example.test\r\n\r\n";
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        watch.onClientData(bytes(get));
        watch.onServerData(bytes(answer));
        watch.onClientData(bytes(CONNECT));
        watch.onServerData(bytes(ESTABLISHED));
        assertEquals(List.of("client " + get, "server " + answer, "client " + CONNECT, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of(), tunnelFlows);
    }

    @Test
    void aSwitchToAnotherProtocolEndsTheWatch() {
        String upgrade = "GET http://api.example.test/ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        String switched = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        watch.onClientData(bytes(upgrade));
        watch.onServerData(bytes(switched));
        watch.onClientData(bytes(CONNECT)); // a websocket message, whatever it looks like
        watch.onServerData(bytes(ESTABLISHED));
        assertEquals(List.of("client " + upgrade, "server " + switched, "client " + CONNECT, "server " + ESTABLISHED),
                plainEvents);
        assertEquals(List.of(), tunnelFlows);
    }

    @Test
    void aTunnelToAnAddressIsAFlowToThatAddress() {
        watch.onClientData(bytes("CONNECT [fd00::5]:8443 HTTP/1.1\r\n\r\n"));
        watch.onServerData(bytes(ESTABLISHED));
        watch.onClientData(bytes("CONNECT 10.0.0.7:443 HTTP/1.1\r\n\r\n")); // inside the tunnel: not looked at
        assertEquals(List.of(new FlowId(TO_PROXY.client(), new InetSocketAddress("fd00::5", 8443))), tunnelFlows);
        assertEquals(List.of("client CONNECT 10.0.0.7:443 HTTP/1.1\r\n\r\n"), tunnelEvents);
    }

    @Test
    void connectWithoutAUsablePortIsNotATunnel() {
        for (String target : List.of("api.example.test", "api.example.test:0", "api.example.test:99999", ":443",
                "[fd00::5", "api.example.test:https")) {
            List<String> events = new ArrayList<>();
            ConnectTunnel other = new ConnectTunnel(TO_PROXY, RecordingPeers.recordingHandler(events), flow -> {
                throw new AssertionError("no tunnel for " + target);
            });
            String request = "CONNECT " + target + " HTTP/1.1\r\n\r\n";
            other.onClientData(bytes(request));
            other.onServerData(bytes(ESTABLISHED));
            assertEquals(List.of("client " + request, "server " + ESTABLISHED), events, target);
        }
    }

    @Test
    void aHeadLongerThanAnyReadGoesOnWhole() {
        // The HTTP/1 layer keeps 64 KiB of a head and skips the rest: the proxy still gets every byte.
        String longHead = "CONNECT api.example.test:443 HTTP/1.1\r\nX: " + "y".repeat(70_000);
        watch.onClientData(bytes(longHead));
        watch.onClientData(bytes("\r\n\r\n<ClientHello>"));
        watch.onServerData(bytes(ESTABLISHED));
        assertEquals(List.of("client " + longHead, "client \r\n\r\n", "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    @Test
    void moreThanAHelloBeforeTheAnswerIsRelayedAsItIs() {
        String flood = "z".repeat(ConnectTunnel.MAX_HELD_BYTES + 1);
        watch.onClientData(bytes(CONNECT));
        watch.onClientData(bytes(flood));
        watch.onServerData(bytes(ESTABLISHED));
        assertEquals(List.of("client " + CONNECT, "client " + flood, "server " + ESTABLISHED), plainEvents);
        assertEquals(List.of(), tunnelFlows);
    }

    @Test
    void theProxyClosingBeforeItAnswersHandsTheHeldBytesToThePlainHandler() {
        watch.onClientData(bytes(CONNECT + "<early>"));
        watch.onClientEnd();
        watch.onServerEnd();
        assertEquals(List.of("client " + CONNECT, "client <early>", "client end", "server end"), plainEvents);
    }

    @Test
    void headsMayEndInBareLineFeeds() {
        watch.onClientData(bytes("CONNECT api.example.test:443 HTTP/1.1\n\n"));
        watch.onServerData(bytes("HTTP/1.0 200 Connection established\n\n"));
        watch.onClientData(bytes("<ClientHello>"));
        assertEquals(List.of("client <ClientHello>"), tunnelEvents);
    }

    /**
     * Whatever the two sides send, in whatever pieces and order, each side's bytes reach the plain handler and
     * then the tunnel's, in order and unaltered: nothing is lost when the conversation is not followed.
     */
    @Test
    void noBytesAreLostOrReorderedWhateverTheSidesSend() {
        String[] clientPieces = {CONNECT, "GET http://a.test/ HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                "GET / HTTP/1.1\r\n\r\n", "<ClientHello>", "\u0016\u0003\u0001\u0000", "CONNECT :0 HTTP/1.1\r\n\r\n"};
        String[] serverPieces = {ESTABLISHED, "HTTP/1.1 407 No\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 100 Continue\r\n\r\n", "<ServerHello>",
                "HTTP/1.0 200 OK\r\n\r\n"};
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 500; round++) {
            StringBuilder[] seen = {new StringBuilder(), new StringBuilder(), new StringBuilder(), new StringBuilder()};
            ConnectTunnel tunnel = new ConnectTunnel(TO_PROXY, bytesInto(seen[0], seen[1]), flow -> bytesInto(seen[2], seen[3]));
            StringBuilder clientSent = new StringBuilder();
            StringBuilder serverSent = new StringBuilder();
            for (int step = 0; step < 8; step++) {
                boolean client = random.nextBoolean();
                String[] pieces = client ? clientPieces : serverPieces;
                String piece = pieces[random.nextInt(pieces.length)];
                int cut = random.nextInt(piece.length() + 1);
                for (String part : new String[] {piece.substring(0, cut), piece.substring(cut)}) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    (client ? clientSent : serverSent).append(part);
                    if (client) {
                        tunnel.onClientData(bytes(part));
                    } else {
                        tunnel.onServerData(bytes(part));
                    }
                }
            }
            tunnel.onClientEnd();
            tunnel.onServerEnd();
            String context = "round " + round + ": " + clientSent + " / " + serverSent;
            assertEquals(clientSent.toString(), seen[0].toString() + seen[2], context);
            assertEquals(serverSent.toString(), seen[1].toString() + seen[3], context);
        }
    }

    /** A handler appending the client's bytes to {@code client} and the server's to {@code server}. */
    private static FlowHandler bytesInto(StringBuilder client, StringBuilder server) {
        return new FlowHandler() {
            @Override
            public void onClientData(ByteBuffer data) {
                client.append(StandardCharsets.ISO_8859_1.decode(data));
            }

            @Override
            public void onServerData(ByteBuffer data) {
                server.append(StandardCharsets.ISO_8859_1.decode(data));
            }

            @Override
            public void onClientEnd() {}

            @Override
            public void onServerEnd() {}

            @Override
            public void onClose(boolean reset) {}
        };
    }
}
