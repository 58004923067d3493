package dev.httptap.tls;

import dev.httptap.policy.HostPort;
import dev.httptap.relay.FlowHandler;
import dev.httptap.stack.FlowId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Watches a plain connection for an HTTP proxy's tunnel: when the child's first request is
 * {@code CONNECT host:port} and the proxy answers 2xx, what follows is the child's own connection to that
 * server, carried through the proxy. From there on the bytes go to a handler made for the tunnel's flow
 * (a {@link TlsGate}: the TLS inside is intercepted as if the child had connected to the server itself),
 * and the plain handler, which saw the CONNECT exchange, sees nothing more. Without this, a command behind
 * HTTPS_PROXY showed one CONNECT line per connection and none of its requests.
 *
 * <p>Only CONNECTs that open a connection are looked at, with the retries that follow a refusal with a
 * Content-Length (a 407 asking for credentials, answered on the same connection): a CONNECT after another
 * request, after a refusal whose body has no length, or with a head over {@value #MAX_HEAD_BYTES} bytes
 * leaves the connection plain, relayed and shown as before. The child's bytes after its CONNECT are held
 * until the proxy's answer says whose they are.
 */
final class ConnectTunnel implements FlowHandler {
    /** Heads longer than this are not a tunnel's (a CONNECT head carries a few short fields). */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Child bytes held while the proxy has not answered its CONNECT: a ClientHello, maybe early data. */
    static final int MAX_HELD_BYTES = 64 * 1024;

    private enum State { REQUEST_HEAD, AWAITING_ANSWER, TUNNEL, PLAIN }

    private final FlowId flow;
    private final FlowHandler plain;
    private final Function<FlowId, FlowHandler> tunnels;
    private final HeadScanner head = new HeadScanner();
    private final HeldBytes heldClientBytes = new HeldBytes(MAX_HELD_BYTES);
    private State state = State.REQUEST_HEAD;
    private FlowId target;
    private FlowHandler tunnel;
    private boolean clientEndHeld;
    /** What is left of a refusal's body, on its way to the child before the answer to a retry. */
    private long refusalBodyLeft;

    /**
     * @param plain the handler of the connection as it is (to the proxy)
     * @param tunnels makes the handler of a tunnel, given the flow the child has through it: its server is the
     *     CONNECT target's port at the target's address when the target is an address, else at the proxy's
     */
    ConnectTunnel(FlowId flow, FlowHandler plain, Function<FlowId, FlowHandler> tunnels) {
        this.flow = flow;
        this.plain = plain;
        this.tunnels = tunnels;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        switch (state) {
            case TUNNEL -> tunnel.onClientData(data);
            case PLAIN -> plain.onClientData(data);
            case AWAITING_ANSWER -> hold(data);
            case REQUEST_HEAD -> readRequestHead(data);
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        switch (state) {
            case TUNNEL -> tunnel.onServerData(data);
            case AWAITING_ANSWER -> readAnswerHead(data);
            case REQUEST_HEAD -> passRefusalBody(data);
            case PLAIN -> plain.onServerData(data);
        }
    }

    @Override
    public void onClientEnd() {
        if (state == State.AWAITING_ANSWER) {
            clientEndHeld = true;
        } else if (state == State.TUNNEL) {
            tunnel.onClientEnd();
        } else {
            plain.onClientEnd();
        }
    }

    @Override
    public void onServerEnd() {
        if (state == State.TUNNEL) {
            tunnel.onServerEnd();
            return;
        }
        if (state == State.AWAITING_ANSWER) {
            becomePlain();
        }
        plain.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        plain.onClose(reset);
        if (tunnel != null) {
            tunnel.onClose(reset);
        }
    }

    private void readRequestHead(ByteBuffer chunk) {
        ByteBuffer data = chunk.duplicate();
        int headEnd = head.scan(data);
        if (headEnd == HeadScanner.MORE) {
            plain.onClientData(data);
            return;
        }
        if (headEnd == HeadScanner.NOT_A_HEAD) {
            state = State.PLAIN;
            plain.onClientData(data);
            return;
        }
        Optional<FlowId> connected = connectTarget(head.firstLine());
        if (connected.isEmpty()) {
            state = State.PLAIN;
            plain.onClientData(data);
            return;
        }
        target = connected.get();
        plain.onClientData(data.slice(data.position(), headEnd - data.position()));
        state = State.AWAITING_ANSWER;
        head.reset();
        data.position(headEnd);
        hold(data);
    }

    private void readAnswerHead(ByteBuffer chunk) {
        ByteBuffer data = chunk.duplicate();
        if (refusalBodyLeft > 0) {
            int bodyPart = (int) Math.min(refusalBodyLeft, data.remaining());
            passRefusalBody(data.slice(data.position(), bodyPart));
            data.position(data.position() + bodyPart);
            if (!data.hasRemaining()) {
                return;
            }
        }
        int headEnd = head.scan(data);
        if (headEnd == HeadScanner.MORE) {
            plain.onServerData(data);
            return;
        }
        if (headEnd == HeadScanner.NOT_A_HEAD) {
            becomePlain();
            plain.onServerData(data);
            return;
        }
        int status = status(head.firstLine());
        if (status >= 100 && status < 200) { // an interim answer: the final one follows
            plain.onServerData(data.slice(data.position(), headEnd - data.position()));
            head.reset();
            data.position(headEnd);
            if (data.hasRemaining()) {
                readAnswerHead(data);
            }
            return;
        }
        if (status < 200 || status >= 300) {
            refused(data, headEnd);
            return;
        }
        plain.onServerData(data.slice(data.position(), headEnd - data.position()));
        data.position(headEnd);
        state = State.TUNNEL;
        tunnel = tunnels.apply(target);
        if (data.hasRemaining()) {
            tunnel.onServerData(data);
        }
        ByteBuffer held = heldClientBytes.take();
        if (held.hasRemaining()) {
            tunnel.onClientData(held);
        }
        if (clientEndHeld) {
            tunnel.onClientEnd();
        }
    }

    /**
     * A refusal: with a body of known length, the child may ask again on the same connection (with the
     * credentials a 407 asked for), so the next request is looked at as the first was; else the connection
     * stays plain.
     */
    private void refused(ByteBuffer data, int headEnd) {
        long bodyLength = refusalBodyLength();
        if (bodyLength < 0) {
            becomePlain();
            plain.onServerData(data);
            return;
        }
        plain.onServerData(data.slice(data.position(), headEnd - data.position()));
        data.position(headEnd);
        refusalBodyLeft = bodyLength;
        state = State.REQUEST_HEAD;
        head.reset();
        ByteBuffer held = heldClientBytes.take();
        boolean endHeld = clientEndHeld;
        clientEndHeld = false;
        if (held.hasRemaining()) {
            readRequestHead(held);
        }
        if (endHeld) {
            onClientEnd();
        }
        if (data.hasRemaining()) {
            onServerData(data);
        }
    }

    /** The length of the answer's body from its Content-Length, or -1 (chunked, or until the proxy closes). */
    private long refusalBodyLength() {
        if (head.field("transfer-encoding").isPresent()) {
            return -1;
        }
        return head.field("content-length").filter(value -> value.matches("[0-9]{1,15}")).map(Long::parseLong).orElse(-1L);
    }

    private void passRefusalBody(ByteBuffer data) {
        refusalBodyLeft = Math.max(0, refusalBodyLeft - data.remaining());
        plain.onServerData(data);
    }

    /** The proxy refused, or answered with something else: the held bytes were the child's next request. */
    private void becomePlain() {
        state = State.PLAIN;
        ByteBuffer held = heldClientBytes.take();
        if (held.hasRemaining()) {
            plain.onClientData(held);
        }
        if (clientEndHeld) {
            plain.onClientEnd();
        }
    }

    private void hold(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (!heldClientBytes.add(data)) {
            // More than a ClientHello before the proxy answered: not a tunnel's opening; relay it as it is.
            becomePlain();
            plain.onClientData(data);
        }
    }

    /** The flow through the tunnel of a {@code CONNECT authority HTTP/1.x} line; empty for any other line. */
    private Optional<FlowId> connectTarget(String requestLine) {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[0].equals("CONNECT") || !parts[2].startsWith("HTTP/1.")) {
            return Optional.empty();
        }
        Optional<HostPort> authority = HostPort.split(parts[1]);
        if (authority.isEmpty() || authority.get().port() == null || !authority.get().port().matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        int port = Integer.parseInt(authority.get().port());
        if (port < 1 || port > 65535 || authority.get().host().isEmpty()) {
            return Optional.empty();
        }
        InetAddress address = addressLiteral(authority.get().host()).orElse(flow.server().getAddress());
        return Optional.of(new FlowId(flow.client(), new InetSocketAddress(address, port)));
    }

    /** The address a host names by being an IP literal; never a DNS lookup. */
    private static Optional<InetAddress> addressLiteral(String host) {
        boolean ipv4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host)); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The status code of an {@code HTTP/1.x NNN reason} line, or -1. */
    private static int status(String statusLine) {
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' ') {
            return -1;
        }
        String code = statusLine.substring(9, 12);
        return code.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(code) : -1;
    }

    /** Finds where one HTTP/1 head ends (its empty line) across the chunks it arrives in. */
    static final class HeadScanner {
        /** {@link #scan}: the head goes on past this chunk. */
        static final int MORE = -1;
        /** {@link #scan}: too long, or no head at all. */
        static final int NOT_A_HEAD = -2;

        private byte[] bytes = new byte[256];
        private int length;

        /**
         * Looks at {@code data} from its position (which it leaves alone) and returns the absolute index in
         * {@code data} just after the head's empty line, or {@link #MORE}, or {@link #NOT_A_HEAD}.
         */
        int scan(ByteBuffer data) {
            for (int i = data.position(); i < data.limit(); i++) {
                if (length == MAX_HEAD_BYTES) {
                    return NOT_A_HEAD;
                }
                if (length == bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, MAX_HEAD_BYTES));
                }
                bytes[length++] = data.get(i);
                if (endsWithEmptyLine()) {
                    return i + 1;
                }
            }
            return MORE;
        }

        /** The head's first line, without its line end. */
        String firstLine() {
            int end = 0;
            while (end < length && bytes[end] != '\n') {
                end++;
            }
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }

        void reset() {
            length = 0;
        }

        /** The value of the head's first field named {@code lowerCaseName} (any case), trimmed. */
        Optional<String> field(String lowerCaseName) {
            String[] lines = new String(bytes, 0, length, StandardCharsets.ISO_8859_1).split("\r?\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(lowerCaseName)) {
                    return Optional.of(lines[i].substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }

        /** CRLF CRLF, or LF LF as lenient servers and clients send it. */
        private boolean endsWithEmptyLine() {
            if (length >= 2 && bytes[length - 1] == '\n' && bytes[length - 2] == '\n') {
                return true;
            }
            return length >= 4 && bytes[length - 1] == '\n' && bytes[length - 2] == '\r'
                    && bytes[length - 3] == '\n' && bytes[length - 4] == '\r';
        }
    }
}
