package dev.httptap.http1;

import dev.httptap.relay.FlowObserver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A scripted TCP connection as the relay would show it to an observer: client bytes, server bytes, FINs
 * and the close, in order. Each data step is cut into pieces by a {@link Split}; every piece arrives as
 * a fresh read-only buffer, and the observer must leave its position alone.
 */
public final class Conversation {
    private sealed interface Step permits Data, End, Close {}

    private record Data(boolean fromClient, byte[] bytes) implements Step {}

    private record End(boolean client) implements Step {}

    private record Close(boolean reset) implements Step {}

    private final List<Step> steps = new ArrayList<>();

    public Conversation client(String text) {
        return client(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Conversation client(byte[] bytes) {
        steps.add(new Data(true, bytes));
        return this;
    }

    public Conversation server(String text) {
        return server(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Conversation server(byte[] bytes) {
        steps.add(new Data(false, bytes));
        return this;
    }

    public Conversation clientEnd() {
        steps.add(new End(true));
        return this;
    }

    public Conversation serverEnd() {
        steps.add(new End(false));
        return this;
    }

    public Conversation close(boolean reset) {
        steps.add(new Close(reset));
        return this;
    }

    public void play(FlowObserver observer, Split split) {
        for (Step step : steps) {
            if (step instanceof Data data) {
                feed(observer, data, split);
            } else if (step instanceof End end && end.client()) {
                observer.onClientEnd();
            } else if (step instanceof End) {
                observer.onServerEnd();
            } else if (step instanceof Close close) {
                observer.onClose(close.reset());
            }
        }
    }

    private static void feed(FlowObserver observer, Data data, Split split) {
        int offset = 0;
        for (int size : split.pieces(data.bytes().length)) {
            ByteBuffer piece = ByteBuffer.wrap(data.bytes(), offset, size).slice().asReadOnlyBuffer();
            if (data.fromClient()) {
                observer.onClientData(piece);
            } else {
                observer.onServerData(piece);
            }
            assertEquals(0, piece.position(), "the observer moved the relay's buffer");
            offset += size;
        }
    }
}
