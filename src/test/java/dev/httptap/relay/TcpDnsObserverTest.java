package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DNS over TCP: length-prefixed messages in each direction, however the stream is cut. */
class TcpDnsObserverTest {
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 45000),
            new InetSocketAddress("10.1.1.1", 53));
    private static final String QUERY = "4242 0100 0001 0000 0000 0000 06 6e6f73756368 07 696e76616c6964 00 0001 0001";
    private static final String ANSWER = "4242 8183 0001 0000 0000 0000 06 6e6f73756368 07 696e76616c6964 00 0001 0001";

    private final RecordingDnsObserver recorded = new RecordingDnsObserver();
    private final TcpDnsObserver observer = new TcpDnsObserver(FLOW, recorded);

    @Test
    void queriesFromTheChildAndAnswersFromTheResolverAreReported() {
        observer.onClientData(framed(QUERY));
        observer.onServerData(framed(ANSWER));
        assertEquals(List.of("query " + compact(QUERY), "answer " + compact(ANSWER)), recorded.events());
    }

    @Test
    void messagesAreGatheredAcrossEveryCut() {
        byte[] stream = concat(framed(QUERY), framed(ANSWER));
        for (int cut = 0; cut <= stream.length; cut++) {
            RecordingDnsObserver events = new RecordingDnsObserver();
            TcpDnsObserver split = new TcpDnsObserver(FLOW, events);
            split.onClientData(ByteBuffer.wrap(stream, 0, cut).slice());
            split.onClientData(ByteBuffer.wrap(stream, cut, stream.length - cut).slice());
            assertEquals(List.of("query " + compact(QUERY), "query " + compact(ANSWER)), events.events(),
                    "cut at " + cut);
        }
    }

    @Test
    void byteByByteWorksTooAndTheCallersBufferIsNotMoved() {
        ByteBuffer stream = framed(QUERY);
        for (int i = 0; i < stream.limit(); i++) {
            ByteBuffer one = stream.slice(i, 1).asReadOnlyBuffer();
            observer.onServerData(one);
            assertEquals(0, one.position());
        }
        assertEquals(List.of("answer " + compact(QUERY)), recorded.events());
    }

    @Test
    void anEmptyMessageIsPassedOnAndAnUnfinishedOneIsNot() {
        observer.onClientData(ByteBuffer.wrap(new byte[] {0, 0, 0, 5, 1, 2}));
        assertEquals(List.of("query "), recorded.events());
    }

    @Test
    void theLargestMessageTheFormatAllowsIsGathered() {
        byte[] message = new byte[0xffff];
        ByteBuffer stream = ByteBuffer.allocate(2 + message.length).putShort((short) 0xffff).put(message).flip();
        observer.onServerData(stream);
        assertEquals(1, recorded.events().size());
        assertEquals("answer ".length() + 2 * 0xffff, recorded.events().get(0).length());
    }

    private static ByteBuffer framed(String hex) {
        byte[] message = HexFormat.of().parseHex(compact(hex));
        return ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).flip();
    }

    private static byte[] concat(ByteBuffer first, ByteBuffer second) {
        return ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).array();
    }

    private static String compact(String hex) {
        return hex.replace(" ", "");
    }
}
