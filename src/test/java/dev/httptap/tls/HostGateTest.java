package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The Host field of plain requests, read from held bytes and decided by the egress policy. */
class HostGateTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("169.254.77.65", 8001));

    private final List<String> asked = new ArrayList<>();
    private final RecordingPeers peers = new RecordingPeers();
    private final List<String> peerEvents = peers.events;
    private final List<String> plainEvents = new ArrayList<>();

    private static HostField.Reading read(String text) {
        return HostField.read(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void theHostFieldWithoutItsPort() {
        assertEquals(new HostField.Reading(HostField.Status.FOUND, "a.test"),
                read("GET / HTTP/1.1\r\nUser-Agent: x\r\nHost: a.test:8001\r\n\r\n"));
        assertEquals(new HostField.Reading(HostField.Status.FOUND, "fd77::1"), read("GET / HTTP/1.1\nhOsT :  [fd77::1]:80 \n\n"));
        assertEquals(HostField.Reading.INCOMPLETE, read("GET / HTTP/1.1\r\nHost: a.te"));
        assertEquals(HostField.Reading.INCOMPLETE, read("GET / HT"));
        assertEquals(HostField.Reading.NONE, read("GET / HTTP/1.0\r\n\r\n"), "no Host");
        assertEquals(HostField.Reading.NONE, read("SSH-2.0-OpenSSH_9.2\r\n"), "not HTTP");
        assertEquals(HostField.Reading.NONE, read("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), "HTTP/2 names no Host");
        assertEquals(HostField.Reading.NONE, read("GET / HTTP/1.1\r\nX: " + "y".repeat(HostField.MAX_HEAD_BYTES)), "too long");
    }

    private FlowHandler gate(boolean allow) {
        ServerNameCheck check = (flow, name, port, source) -> {
            asked.add(name.orElse("-") + " " + source);
            return allow ? Optional.empty() : Optional.of("--deny evil.test");
        };
        FlowHandler plain = RecordingPeers.recordingHandler(plainEvents);
        return HostGate.before(FLOW, peers, check, () -> plain);
    }

    @Test
    void anAllowedRequestIsReplayedWholeAndInOrder() {
        FlowHandler gate = gate(true);
        gate.onClientData(ByteBuffer.wrap("GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(), asked, "held until the head is whole");
        gate.onClientData(ByteBuffer.wrap("st: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        gate.onClientData(ByteBuffer.wrap("body".getBytes(StandardCharsets.US_ASCII)));

        assertEquals(List.of("a.test HTTP_HOST"), asked);
        assertEquals(List.of("client GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", "client body"), plainEvents);
        assertEquals(List.of(), peerEvents);
    }

    @Test
    void aDeniedHostGets403AndNothingReachesTheServer() {
        FlowHandler gate = gate(false);
        gate.onClientData(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: evil.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        gate.onClientData(ByteBuffer.wrap("more".getBytes(StandardCharsets.US_ASCII)));

        assertEquals(List.of(), plainEvents);
        assertEquals(List.of("to client HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 68\r\nConnection: close\r\n\r\n",
                "to client httptap: the egress policy blocks evil.test:8001 (--deny evil.test)\n", "end client", "end server"), peerEvents);
    }

    @Test
    void aDeniedIpv6HostIsNamedInBracketsInThe403() {
        FlowHandler gate = gate(false);
        gate.onClientData(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: [fd77::1]\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

        assertEquals("to client httptap: the egress policy blocks [fd77::1]:8001 (--deny evil.test)\n", peerEvents.get(1));
    }

    @Test
    void aServerSpeakingFirstIsDecidedWithoutAName() {
        FlowHandler gate = gate(false);
        gate.onServerData(ByteBuffer.wrap("220 smtp ready\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of("- HTTP_HOST"), asked);
        assertEquals(List.of("reset"), peerEvents, "refused without a name: reset");
    }

    @Test
    void withoutAPolicyThePlainHandlerItself() {
        List<FlowHandler> made = new ArrayList<>();
        FlowHandler handler = HostGate.before(FLOW, new RecordingPeers(), ServerNameCheck.ALL, () -> {
            FlowHandler plain = gate(true);
            made.add(plain);
            return plain;
        });
        assertEquals(List.of(handler), made);
    }
}
