package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.util.Optional;

/**
 * The egress policy's second look at a connection, once its first bytes name the server (the TLS SNI):
 * the relay decided at the SYN by the name the child's DNS gave the address, or by the address; the
 * handler above it asks again when it knows more. Loop thread only.
 */
public interface ServerNameCheck {
    /**
     * Whether {@code flow} may go on, now that its server name is known ({@code serverName}), or known to
     * be absent (empty: no SNI, or not TLS). A refusal has been reported; the caller refuses the child.
     */
    boolean admits(FlowId flow, Optional<String> serverName);

    ServerNameCheck ALL = (flow, serverName) -> true;
}
