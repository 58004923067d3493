package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.http2.Http2Frames;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every request of a connection, fed as bytes, decided by its server name before its bytes go on. */
class RequestGateTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("169.254.77.65", 8001));
    private static final String ALLOWED = "GET /a HTTP/1.1\r\nHost: allowed.test\r\n\r\n";
    private static final String DENIED = "GET /b HTTP/1.1\r\nHost: denied.test:8001\r\n\r\n";
    private static final String FORBIDDEN = "to client HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 72\r\nConnection: close\r\n\r\n";

    private final List<String> asked = new ArrayList<>();
    private final RecordingPeers peers = new RecordingPeers();
    private final List<String> passed = new ArrayList<>();
    private final FlowHandler gate = RequestGate.before(FLOW, peers, (flow, name, port, source) -> {
        asked.add(name.orElse("-"));
        return name.filter("denied.test"::equals).map(denied -> "--deny denied.test");
    }, RecordingPeers.recordingHandler(passed));

    private void client(String text) {
        gate.onClientData(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer());
    }

    private void server(String text) {
        gate.onServerData(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer());
    }

    @Test
    void anAllowedRequestThenADeniedOneOnTheSameConnection() {
        client(ALLOWED);
        server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        client(DENIED);
        client("more");

        assertEquals(List.of("allowed.test", "denied.test"), asked);
        assertEquals(List.of("client " + ALLOWED, "server HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), passed,
                "nothing of the denied request goes on");
        assertEquals(List.of(FORBIDDEN, "to client httptap: the egress policy blocks denied.test:8001 (--deny denied.test)\n",
                "end client", "end server"), peers.events);
    }

    @Test
    void aConnectIsDecidedByTheNameAndPortItAsksTheProxyFor() {
        List<String> decided = new ArrayList<>();
        RecordingPeers proxyPeers = new RecordingPeers();
        FlowHandler toProxy = RequestGate.before(FLOW, proxyPeers, (flow, name, port, source) -> {
            decided.add(name.orElse("-") + ":" + port);
            return port == 443 ? Optional.empty() : Optional.of("no --allow matches");
        }, RecordingPeers.recordingHandler(passed));
        String allowed = "CONNECT registry.test:443 HTTP/1.1\r\nHost: proxy.test:8001\r\n\r\n";
        toProxy.onClientData(ByteBuffer.wrap(allowed.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer());
        assertEquals(List.of("registry.test:443"), decided, "not the Host field, not the proxy's port");
        assertEquals(List.of("client " + allowed), passed);

        RequestGate.before(FLOW, proxyPeers, (flow, name, port, source) -> {
            decided.add(name.orElse("-") + ":" + port);
            return Optional.of("no --allow matches");
        }, RecordingPeers.recordingHandler(passed)).onClientData(ByteBuffer.wrap(
                "CONNECT [fd00::7]:8443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer());
        assertEquals(List.of("registry.test:443", "fd00::7:8443"), decided);
        assertTrue(proxyPeers.events.contains("to client httptap: the egress policy blocks [fd00::7]:8443 (no --allow matches)\n"),
                proxyPeers.events::toString);
    }

    @Test
    void aDeniedRequestPipelinedAfterAnAllowedOneIsAnsweredAfterIt() {
        String post = "POST /a HTTP/1.1\r\nHost: allowed.test\r\nContent-Length: 4\r\n\r\nbody";
        client(post + DENIED);
        assertEquals(List.of(), peers.events, "the 403 waits for the answer to the request before it");

        server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        assertEquals(List.of(), peers.events);
        server("ok");
        server("HTTP/1.1 200 OK\r\n");
        assertEquals(List.of("client " + post.substring(0, post.length() - 4), "client body",
                "server HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "server ok"), passed,
                "the answer goes on; what the server sends after the 403 does not");
        assertEquals(List.of(FORBIDDEN, "to client httptap: the egress policy blocks denied.test:8001 (--deny denied.test)\n",
                "end client", "end server"), peers.events);
    }

    @Test
    void aHeadRequestsAnswerHasNoBodyAndAnInterimAnswerIsNone() {
        client("HEAD /a HTTP/1.1\r\nHost: allowed.test\r\n\r\n" + ALLOWED + DENIED);
        server("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n");
        assertEquals(List.of(), peers.events);
        server("HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(FORBIDDEN, peers.events.get(0));
    }

    @Test
    void aServerEndingBeforeItsAnswersLeavesTheRefusedRequestUnanswered() {
        client(ALLOWED + DENIED);
        server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\ncut");
        gate.onServerEnd();
        server("more");
        assertEquals(List.of("client " + ALLOWED, "server HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\ncut", "server end"), passed);
        assertEquals(List.of(), peers.events, "no 403 inside the cut answer");
    }

    @Test
    void aHeadIsHeldUntilWholeAndBodiesGoOnAsTheyCome() {
        client("POST /a HTTP/1.1\r\nHo");
        assertEquals(List.of(), asked);
        assertEquals(List.of(), passed);
        client("st: allowed.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab");
        client("c\r\n0\r\n\r\n" + ALLOWED.substring(0, 10));
        assertEquals(List.of("allowed.test"), asked);
        client(ALLOWED.substring(10));

        assertEquals(List.of("allowed.test", "allowed.test"), asked);
        assertEquals(List.of("client POST /a HTTP/1.1\r\nHo", "client st: allowed.test\r\nTransfer-Encoding: chunked\r\n\r\n",
                "client 3\r\nab", "client c\r\n0\r\n\r\n", "client " + ALLOWED.substring(0, 10), "client " + ALLOWED.substring(10)),
                passed);
        assertEquals(List.of(), peers.events);
    }

    @Test
    void anAbsoluteFormTargetNamesTheServerOverTheHostField() {
        client("GET http://user@denied.test:8001/x HTTP/1.1\r\nHost: allowed.test\r\n\r\n");
        assertEquals(List.of("denied.test"), asked);
        assertEquals(List.of(), passed);
    }

    @Test
    void bytesThatAreNotRequestsPassBeforeAnyRequestAndResetAfterOne() {
        client("SSH-2.0-OpenSSH_9.2\r\n");
        assertEquals(List.of("client SSH-2.0-OpenSSH_9.2\r\n"), passed);

        RequestGate.before(FLOW, peers, (flow, name, port, source) -> Optional.empty(), RecordingPeers.recordingHandler(new ArrayList<>()))
                .onClientData(ByteBuffer.wrap((ALLOWED + "\u0001\u0002 not http\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("reset"), peers.events);
    }

    @Test
    void aServerSpeakingFirstMakesTheConnectionUnchecked() {
        client("EHLO x");
        server("220 ready\r\n");
        client("\r\nMAIL FROM:<a@b>\r\n");
        assertEquals(List.of("client EHLO x", "server 220 ready\r\n", "client \r\nMAIL FROM:<a@b>\r\n"), passed);
        assertEquals(List.of(), asked);
    }

    @Test
    void afterA101TheRestIsAnotherProtocol() {
        String upgrade = "GET /ws HTTP/1.1\r\nHost: allowed.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        client(upgrade);
        server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        client("\u0081\u0005hello");
        assertEquals(List.of("client " + upgrade, "server HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
                "client \u0081\u0005hello"), passed);
    }

    @Test
    void anUpgradeTheServerDeclinesKeepsTheConnectionChecked() {
        client("GET / HTTP/1.1\r\nHost: allowed.test\r\nUpgrade: h2c\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        client(DENIED);
        assertEquals(List.of("allowed.test", "denied.test"), asked);
        assertEquals(FORBIDDEN, peers.events.get(0));
    }

    @Test
    void aRequestNamingNoServerIsResetWhenOnlyANameCouldAdmitIt() {
        FlowHandler strict = RequestGate.before(FLOW, peers, (flow, name, port, source) -> name.isPresent() ? Optional.empty() : Optional.of("no --allow matches"),
                RecordingPeers.recordingHandler(passed));
        strict.onClientData(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("reset"), peers.events);
        assertEquals(List.of(), passed);
    }

    /** An h2c server may send its SETTINGS before the client's preface comes, or after. */
    @Test
    void h2cWithPriorKnowledgeIsCheckedStreamByStreamWhicheverSideSpeaksFirst() {
        for (boolean serverFirst : new boolean[] {true, false}) {
            RecordingPeers h2cPeers = new RecordingPeers();
            List<String> names = new ArrayList<>();
            FlowHandler h2c = RequestGate.before(FLOW, h2cPeers, (flow, name, port, source) -> {
                names.add(name.orElse("-") + " " + source);
                return name.filter("denied.test"::equals).map(denied -> "--deny denied.test");
            }, RecordingPeers.recordingHandler(new ArrayList<>()));
            ByteBuffer settings = ByteBuffer.wrap(new Http2Frames().settings().take());
            if (serverFirst) {
                h2c.onServerData(settings.duplicate());
            }
            h2c.onClientData(ByteBuffer.wrap(new Http2Frames().preface().settings()
                    .request(1, true, "GET", "http", "denied.test", "/").request(3, true, "GET", "http", "allowed.test", "/").take()));
            if (!serverFirst) {
                h2c.onServerData(settings.duplicate());
            }

            assertEquals(List.of("denied.test HTTP2_AUTHORITY", "allowed.test HTTP2_AUTHORITY"), names);
            assertTrue(h2cPeers.events.stream().anyMatch(event -> event.contains(
                    "httptap: the egress policy blocks denied.test:8001 (--deny denied.test)")), h2cPeers.events::toString);
        }
    }

    @Test
    void afterA101ToH2cEachLaterStreamIsChecked() {
        String upgrade = "GET / HTTP/1.1\r\nHost: allowed.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
        client(upgrade);
        Http2Frames server = new Http2Frames().settings().response(1, true, 200);
        ByteBuffer switched = ByteBuffer.allocate(1024).put("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1)).put(server.take()).flip();
        gate.onServerData(switched.asReadOnlyBuffer());
        gate.onClientData(ByteBuffer.wrap(new Http2Frames().preface().settings()
                .request(3, true, "GET", "http", "denied.test", "/").request(5, true, "GET", "http", "allowed.test", "/").take()));

        assertEquals(List.of("allowed.test", "denied.test", "allowed.test"), asked);
        assertTrue(peers.events.stream().anyMatch(event -> event.contains(
                "httptap: the egress policy blocks denied.test:8001 (--deny denied.test)")), peers.events::toString);
        assertEquals("server HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", passed.get(1));
    }

    @Test
    void withoutAPolicyTheHandlerItself() {
        FlowHandler inner = RecordingPeers.recordingHandler(passed);
        assertSame(inner, RequestGate.before(FLOW, peers, ServerNameCheck.ALL, inner));
    }
}
