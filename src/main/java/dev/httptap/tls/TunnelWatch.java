package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import dev.httptap.stack.FlowId;

/**
 * Puts a {@link ConnectTunnel} around an HTTP/1 connection that may be to a proxy: plain, or the plaintext of
 * an intercepted TLS connection (an {@code https://} proxy). Given to the layers that make those handlers, so
 * that TLS knows where HTTP/1 plaintext may carry a tunnel without knowing what is done inside it.
 */
@FunctionalInterface
interface TunnelWatch {
    /**
     * @param peers the ends of {@code flow}, through which a tunnel's handler sends (for a TLS proxy: encrypted
     *     for the child and the proxy)
     * @param context the one {@code flow} was decided in: a tunnel's check counts against that connection,
     *     so a tunnel inside a tunnel is still decided by the policy
     * @param connection the handler of the connection as it is, which sees a tunnel's opening exchange
     */
    FlowHandler around(FlowId flow, FlowPeers peers, InterceptionContext context, FlowHandler connection);
}
