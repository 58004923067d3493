package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.util.Optional;

/**
 * The egress policy's second look at a connection, once its first bytes name the server (the TLS SNI, or
 * the Host field of a plain HTTP request): the relay decided at the SYN by the name the child's DNS gave
 * the address, or by the address; the handler above it asks again when it knows more. Loop thread only.
 */
public interface ServerNameCheck {
    /** Where the name came from, and so how a refused child is told, with a name and without one. */
    enum Source {
        TLS_SERVER_NAME("tls", "TLS alert access_denied", "tls", "TLS alert access_denied, no server name"),
        HTTP_HOST("http", "HTTP 403 Forbidden", "tcp", "connection reset once connected, no server name"),
        HTTP2_AUTHORITY("http", "HTTP/2 403 Forbidden", "tcp", "connection reset once connected, no server name");

        private final String protocol;
        private final String refusal;
        private final String protocolWithoutName;
        private final String refusalWithoutName;

        Source(String protocol, String refusal, String protocolWithoutName, String refusalWithoutName) {
            this.protocol = protocol;
            this.refusal = refusal;
            this.protocolWithoutName = protocolWithoutName;
            this.refusalWithoutName = refusalWithoutName;
        }

        /** {@link #protocol()} when the bytes named no server (not HTTP/1, no SNI). */
        public String protocolWithoutName() {
            return protocolWithoutName;
        }

        /** {@link #refusal()} when the bytes named no server. */
        public String refusalWithoutName() {
            return refusalWithoutName;
        }

        /** As {@link dev.httptap.event.Blocked#protocol()}. */
        public String protocol() {
            return protocol;
        }

        /** As {@link dev.httptap.event.Blocked#refusal()}. */
        public String refusal() {
            return refusal;
        }
    }

    /**
     * Why {@code flow} may not go on, now that its server name is known ({@code serverName}, from
     * {@code source}), or known to be absent (empty: no SNI, not HTTP, no Host), for its server's port
     * {@code port} (the connection's, unless the request named another): the rule, as a BLOCKED line names
     * it; empty when it may. A refusal has been reported; the caller refuses the child.
     */
    Optional<String> refusal(FlowId flow, Optional<String> serverName, int port, Source source);

    /** {@link #refusal(FlowId, Optional, int, Source)} on the connection's port. */
    default Optional<String> refusal(FlowId flow, Optional<String> serverName, Source source) {
        return refusal(flow, serverName, flow.server().getPort(), source);
    }

    /** What a child refused in HTTP is told, in the body of its 403: the server ("name:port") and the rule. */
    static String forbiddenText(String server, String rule) {
        return "httptap: the egress policy blocks " + server + " (" + rule + ")\n";
    }

    /**
     * The check of the connections a child makes through a proxy's CONNECT tunnels carried by {@code outer}
     * (each a flow of its own, which the relay never dialled): decided like {@code outer}'s, on the tunnel's
     * server. Without a policy, this check itself.
     */
    default ServerNameCheck inTunnelsOf(FlowId outer) {
        return this;
    }

    /** Whether names matter at all: false when there is no policy, so no bytes need holding for them. */
    default boolean decidesNames() {
        return true;
    }

    ServerNameCheck ALL = new ServerNameCheck() {
        @Override
        public Optional<String> refusal(FlowId flow, Optional<String> serverName, int port, Source source) {
            return Optional.empty();
        }

        @Override
        public boolean decidesNames() {
            return false;
        }
    };
}
