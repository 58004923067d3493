package dev.httptap.tls;

import dev.httptap.event.RequestHead;
import dev.httptap.http2.H2cUpgrade;
import dev.httptap.http2.Http2Gate;
import dev.httptap.http1.RequestSplitter;
import dev.httptap.http1.ResponseSplitter;
import dev.httptap.log.Log;
import dev.httptap.policy.HostPort;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The egress policy's check of every HTTP/1 request on a connection, not only its first: on a kept-alive
 * connection, or inside an intercepted TLS connection whose server name was allowed, a later request may
 * name another server (domain fronting), which the server at that address may well serve.
 *
 * <p>Why a gate in front of the handler, and not a veto by the HTTP/1 observer: the relay hands each
 * client byte to the server as soon as the observer has seen it, and the observer only watches; a veto
 * there would come after the request's bytes were on their way. So the gate holds the client's bytes from
 * the start of each request head until the head is whole and decided ({@link RequestSplitter} finds the
 * heads, framing bodies as the HTTP/1 layer does), and passes body bytes straight on. An allowed head goes
 * on whole and in order; a denied one gets a 403 and the connection closes (as {@link HostGate} does),
 * its bytes and everything after never reaching the server. The 403 comes once the server has answered
 * the requests pipelined before the denied one ({@link ResponseSplitter} follows its answers), so none of
 * those is lost; what the server sends after it is dropped. A request is named by its absolute-form target's
 * authority, else its Host field (RFC 9112 section 3.2), without the port: the policy decides by the
 * connection's port, where the bytes go; a CONNECT (to a proxy) by the name and port it asks for.
 *
 * <p>Bytes that are not HTTP/1 requests: before the first request, the connection was decided by its
 * address (or by {@link HostGate}) and is passed on untouched; after one, it is reset, as a request the
 * gate cannot read could be one a server reads. After a request asking to switch protocols (Upgrade, or
 * CONNECT), a server answering 101 (or 2xx to CONNECT) makes the rest another protocol, passed on
 * untouched, but for h2c: a connection that opens with HTTP/2's preface (h2c with prior knowledge, whose
 * server may have sent its SETTINGS first) or switches to h2c goes on through an {@link Http2Gate}, which
 * checks each of its requests.
 * Only when there is a policy: without one, the handler itself, at no cost.
 */
final class RequestGate implements FlowHandler, RequestSplitter.Listener {
    /** A head longer than the HTTP/1 layer reads is refused by the splitter before this is reached. */
    private static final int MAX_HELD_BYTES = 128 * 1024;
    private static final Pattern SWITCHING_STATUS = Pattern.compile("HTTP/1\\.\\d 101[\\s\\S]*");
    /** The server's bytes held before any request while they may be an h2c server's SETTINGS. */
    private static final int MAX_SERVER_SETTINGS_BYTES = 16 * 1024;
    private static final int SETTINGS_FRAME = 0x4;
    private static final byte[] H2_PREFACE_LINE = "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern TUNNEL_STATUS = Pattern.compile("HTTP/1\\.\\d 2\\d\\d[\\s\\S]*");

    /** ANSWERING: a request was refused, and its 403 waits for the answers to those pipelined before it. */
    private enum State { CHECKING, PASSING, ANSWERING, REFUSED }

    private final FlowId flow;
    private final FlowPeers peers;
    private final ServerNameCheck check;
    private final FlowHandler inner;
    /** Where bytes go on: {@code inner}, or an {@link Http2Gate} in front of it once the client spoke h2c. */
    private FlowHandler onward;
    private final RequestSplitter splitter = new RequestSplitter(this);
    private final ResponseSplitter responses = new ResponseSplitter();
    /** The server's bytes stopped making sense as answers: a refusal cannot wait for them. */
    private boolean answersLost;
    /** While ANSWERING: the refused request's server ("name:port") and the rule, for its 403. */
    private String refusedServer;
    private String refusedRule;
    private final HeldBytes held = new HeldBytes(MAX_HELD_BYTES);
    /** A copy of what the server sent before any request, while it looks like HTTP/2, passed on already. */
    private final HeldBytes serverSoFar = new HeldBytes(MAX_SERVER_SETTINGS_BYTES);
    private State state = State.CHECKING;
    private boolean sawRequest;
    /** The pattern of a server's answer that switches protocols, after a request that asked; null else. */
    private Pattern switchingAnswer;
    /**
     * When the last request asked to switch to h2c, whose requests are checked too once the server agrees:
     * the client's settings it carried (the server takes them with its 101); null else.
     */
    private ByteBuffer h2cSettings;
    /** The client bytes being read, and where the part not yet passed on or held starts. */
    private ByteBuffer reading;
    private int unhandled;

    private RequestGate(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner) {
        this.flow = flow;
        this.peers = peers;
        this.check = check;
        this.inner = inner;
        this.onward = inner;
    }

    /** {@code inner} itself when there is no policy, else a gate in front of it, refusing through {@code peers}. */
    static FlowHandler before(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner) {
        return check.decidesNames() ? new RequestGate(flow, peers, check, inner) : inner;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        if (state != State.CHECKING) {
            if (state == State.PASSING) {
                onward.onClientData(data);
            }
            return;
        }
        reading = data.duplicate();
        unhandled = reading.position();
        String notRequests = splitter.read(reading);
        if (state != State.CHECKING) {
            return; // refused
        }
        if (notRequests != null) {
            stopChecking(notRequests);
            return;
        }
        ByteBuffer rest = reading.slice(unhandled, reading.limit() - unhandled);
        if (!splitter.betweenRequests()) {
            onward.onClientData(rest);
        } else if (!held.add(rest)) {
            stopChecking("a request head longer than the gate holds");
        }
        reading = null;
    }

    @Override
    public boolean onHead(RequestHead head) {
        sawRequest = true;
        boolean tunnel = head.method().equalsIgnoreCase("CONNECT");
        Optional<HostPort> tunnelTarget = tunnel ? HostPort.split(head.target()) : Optional.empty();
        Optional<String> name = tunnel ? tunnelTarget.map(HostPort::host).filter(host -> !host.isEmpty()) : serverName(head);
        // A CONNECT's bytes go on, through the proxy, to the port it names.
        int port = tunnelTarget.map(HostPort::port).filter(text -> text.matches("[0-9]{1,5}")).map(Integer::parseInt)
                .filter(number -> number > 0 && number <= 65535).orElse(flow.server().getPort());
        Optional<String> refusal = check.refusal(flow, name, port, ServerNameCheck.Source.HTTP_HOST);
        if (refusal.isPresent()) {
            held.take();
            state = State.REFUSED;
            if (name.isPresent()) {
                Log.verbose("%s: a request for %s, which the egress policy denies: 403", flow, name.get());
                refusedServer = HostPort.join(name.get(), port);
                refusedRule = refusal.get();
                state = State.ANSWERING;
                refuseOnceAnswered();
            } else {
                Log.verbose("%s: a request that names no server, which the egress policy allows only by name: resetting", flow);
                peers.reset();
            }
            return false;
        }
        if (tunnel) {
            switchingAnswer = TUNNEL_STATUS;
        } else if (head.headers().contains("Upgrade")) {
            switchingAnswer = SWITCHING_STATUS;
        }
        h2cSettings = head.headers().first("Upgrade").filter(protocol -> protocol.trim().equalsIgnoreCase("h2c")).isPresent()
                ? H2cUpgrade.clientSettings(head.headers()) : null;
        responses.expect(head);
        passReadSoFar();
        return true;
    }

    @Override
    public void onRequestEnd() {
        passReadSoFar();
    }

    /**
     * After a refusal the child has its 403 and its end: what the server still sends is dropped. Before the
     * 403, the server's answers to the requests pipelined before the refused one go on.
     */
    @Override
    public void onServerData(ByteBuffer data) {
        if (state == State.REFUSED) {
            return;
        }
        if (sawRequest && state != State.PASSING && !answersLost) {
            answersLost = responses.read(data.duplicate()) != null;
        }
        if (state == State.CHECKING && !sawRequest) {
            if (serverSoFar.add(data) && opensLikeHttp2(serverSoFar.view())) {
                onward.onServerData(data); // an h2c server may send its SETTINGS before the client's preface
                return;
            }
            Log.verbose("%s: the server spoke before any request: passed on as decided by the address", flow);
            passHeldAndStop();
        } else if (switchingAnswer != null && state == State.CHECKING
                && switchingAnswer.matcher(StandardCharsets.ISO_8859_1.decode(data.duplicate())).matches()) {
            if (h2cSettings != null && switchedToH2c(data)) {
                return;
            }
            Log.verbose("%s: the server switched protocols: the rest is not checked as HTTP/1", flow);
            passHeldAndStop();
        }
        onward.onServerData(data);
        if (state == State.ANSWERING) {
            refuseOnceAnswered();
        }
    }

    /** The refused request's 403 and the end of both sides, once the requests before it are answered. */
    private void refuseOnceAnswered() {
        if (responses.answeredAll() || answersLost) {
            state = State.REFUSED;
            RefusedConnection.withHttpForbidden(peers, refusedServer, refusedRule);
        } else {
            Log.verbose("%s: the 403 waits for the answers to the requests pipelined before", flow);
        }
    }

    /** Bytes held before any request are not one (the connection was decided by its address); after one, dropped. */
    @Override
    public void onClientEnd() {
        if (state == State.CHECKING && !sawRequest) {
            passHeldAndStop();
        }
        if (state != State.ANSWERING) { // the 403 ends the server's side
            onward.onClientEnd();
        }
    }

    @Override
    public void onServerEnd() {
        if (state == State.ANSWERING) { // a 403 now could land inside an answer cut short
            Log.verbose("%s: the server ended before answering the requests pipelined before the refused one: no 403", flow);
            state = State.REFUSED;
        }
        onward.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        onward.onClose(reset);
    }

    /** The held bytes and those read up to the reader's position go on, in order. */
    private void passReadSoFar() {
        if (!held.isEmpty()) {
            onward.onClientData(held.take());
        }
        if (reading.position() > unhandled) {
            onward.onClientData(reading.slice(unhandled, reading.position() - unhandled));
            unhandled = reading.position();
        }
    }

    /** The bytes are no (more) HTTP/1 requests, for {@code why}. */
    private void stopChecking(String why) {
        if (sawRequest) {
            Log.verbose("%s: after a request, bytes the egress policy cannot check (%s): resetting", flow, why);
            held.take();
            state = State.REFUSED;
            peers.reset();
            return;
        }
        reading.position(reading.limit());
        if (opensWithHttp2Preface()) {
            Log.verbose("%s: HTTP/2 with prior knowledge: each request is checked as HTTP/2", flow);
            onward = Http2Gate.after(flow, peers, check, inner, serverSoFar.take());
        } else {
            Log.verbose("%s: not HTTP/1 requests (%s): passed on as decided by the address", flow, why);
        }
        passHeldAndStop();
    }

    /** Everything held and read goes on, and so does everything after, unchecked. */
    private void passHeldAndStop() {
        state = State.PASSING;
        if (reading != null) {
            passReadSoFar();
        } else if (!held.isEmpty()) {
            onward.onClientData(held.take());
        }
    }

    /**
     * After a 101 to h2c, both sides speak HTTP/2 from the end of its head (in {@code data}, the server's
     * bytes that begin with it): an {@link Http2Gate} checks each later request, stream 1 being the one that
     * asked. False, and nothing done, when the head does not end in these bytes.
     */
    private boolean switchedToH2c(ByteBuffer data) {
        int headEnd = -1;
        for (int at = data.position(); at + 3 < data.limit() && headEnd < 0; at++) {
            if (data.get(at) == '\r' && data.get(at + 1) == '\n' && data.get(at + 2) == '\r' && data.get(at + 3) == '\n') {
                headEnd = at + 4;
            }
        }
        if (headEnd < 0) {
            return false;
        }
        Log.verbose("%s: the server switched to h2c: each later request is checked as HTTP/2", flow);
        onward.onServerData(data.slice(data.position(), headEnd - data.position()));
        onward = Http2Gate.afterUpgrade(flow, peers, check, inner, h2cSettings);
        passHeldAndStop();
        if (headEnd < data.limit()) {
            onward.onServerData(data.slice(headEnd, data.limit() - headEnd));
        }
        return true;
    }

    /** Whether the client's bytes, all held or being read, open with the first line of HTTP/2's preface. */
    private boolean opensWithHttp2Preface() {
        byte[] start = new byte[H2_PREFACE_LINE.length];
        ByteBuffer first = held.view();
        int fromHeld = Math.min(first.remaining(), start.length);
        first.get(start, 0, fromHeld);
        ByteBuffer rest = reading.duplicate().position(unhandled);
        int fromReading = Math.min(rest.remaining(), start.length - fromHeld);
        rest.get(start, fromHeld, fromReading);
        return fromHeld + fromReading == start.length && Arrays.equals(start, H2_PREFACE_LINE);
    }

    /** Whether a server's first bytes may be an HTTP/2 server's: a SETTINGS frame on stream 0. */
    private static boolean opensLikeHttp2(ByteBuffer server) {
        int length = server.remaining();
        return length < 4 || (server.get(3) == SETTINGS_FRAME && (length < 9 || (server.getInt(5) & 0x7fff_ffff) == 0));
    }

    /** The absolute-form target's authority, else the Host field; without the port; empty when neither names one. */
    private static Optional<String> serverName(RequestHead head) {
        String target = head.target();
        int scheme = target.indexOf("://");
        String authority;
        if (scheme > 0 && target.charAt(0) != '/') {
            int end = scheme + 3;
            while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
                end++;
            }
            authority = target.substring(scheme + 3, end);
            authority = authority.substring(authority.lastIndexOf('@') + 1);
        } else {
            authority = head.headers().first("Host").orElse("");
        }
        return HostPort.split(authority.trim()).map(HostPort::host).filter(host -> !host.isEmpty());
    }
}
