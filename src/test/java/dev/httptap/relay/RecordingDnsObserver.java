package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a {@link DnsObserver} hears, as "query HEX", "answer HEX", "no answer HEX". */
final class RecordingDnsObserver implements DnsObserver {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void onQuery(FlowId flow, ByteBuffer query) {
        events.add("query " + hex(query));
    }

    @Override
    public synchronized void onAnswer(FlowId flow, ByteBuffer answer) {
        events.add("answer " + hex(answer));
    }

    @Override
    public synchronized void onNoAnswer(FlowId flow, ByteBuffer query) {
        events.add("no answer " + hex(query));
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
