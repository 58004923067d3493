package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.FlowId;
import dev.httptap.stack.Forwarder;
import dev.httptap.stack.TcpConnectRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The relay's policy for new flows (the stack's {@link Forwarder}): the gateway offers DNS and nothing
 * else, the host alias means this machine, a loopback or unspecified destination is refused (RST, ICMP port
 * unreachable) as no network carries it, and so is one the egress policy denies ({@link EgressGate});
 * everything else goes where the child addressed it.
 */
final class FlowRouter implements Forwarder {
    private final AddressMap addresses;
    private final InetSocketAddress tcpDnsServer;
    private final TcpRelay tcp;
    private final UdpRelay udp;
    private final DnsRelay dns;
    private final UdpRefuser refuser;
    private final EgressGate egress;

    FlowRouter(AddressMap addresses, InetSocketAddress tcpDnsServer, TcpRelay tcp, UdpRelay udp, DnsRelay dns,
            UdpRefuser refuser, EgressGate egress) {
        this.addresses = addresses;
        this.egress = egress;
        this.refuser = refuser;
        this.tcpDnsServer = tcpDnsServer;
        this.tcp = tcp;
        this.udp = udp;
        this.dns = dns;
    }

    @Override
    public void onTcpConnectRequest(TcpConnectRequest request) {
        InetSocketAddress server = request.flow().server();
        if (addresses.isHostLocal(server)) {
            Log.verbose("%s: a loopback or unspecified destination on the network, refusing", request.flow());
            request.refuse();
        } else if (!addresses.isGateway(server)) {
            egress.admitConnection(request.flow()).ifPresentOrElse(
                    admission -> tcp.connect(request, addresses.upstream(server), admission), request::refuse);
        } else if (server.getPort() == RelayConfig.DNS_PORT) {
            // DNS over TCP is just a connection to the resolver
            tcp.connect(request, tcpDnsServer, EgressGate.Admission.UNWATCHED);
        } else {
            Log.verbose("%s: nothing listens on the gateway there, refusing", request.flow());
            request.refuse();
        }
    }

    @Override
    public void onUdpDatagram(FlowId flow, ByteBuffer payload) {
        if (addresses.isHostLocal(flow.server())) {
            Log.verbose("%s: a loopback or unspecified destination on the network, refusing", flow);
            refuser.refuse(flow, payload);
        } else if (!addresses.isGateway(flow.server())) {
            if (egress.admitsDatagram(flow, payload.remaining())) {
                udp.send(flow, payload);
            } else {
                refuser.refuse(flow, payload);
            }
        } else if (flow.server().getPort() == RelayConfig.DNS_PORT) {
            dns.query(flow, payload);
        } else {
            Log.verbose("%s: nothing listens on the gateway there, dropping a datagram", flow);
        }
    }
}
