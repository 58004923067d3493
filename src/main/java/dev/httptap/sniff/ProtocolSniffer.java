package dev.httptap.sniff;

import dev.httptap.log.Log;
import dev.httptap.relay.FlowObserver;
import dev.httptap.stack.FlowId;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Decides, from the first bytes the client sends, whether a connection is HTTP/1 worth following. The
 * relay forwards every byte regardless; this only keeps a copy of the few bytes that arrived before the
 * decision (at most {@link ProtocolGuess#DECISIVE_BYTES}) and replays them to the HTTP/1 observer. A
 * connection found to be something else (TLS, HTTP/2, a server that speaks first, binary) is ignored
 * from then on at the cost of one comparison per call.
 */
final class ProtocolSniffer implements FlowObserver {
    private enum State { SNIFFING, HTTP, OPAQUE }

    private final FlowId flow;
    private final Supplier<FlowObserver> http;
    private State state = State.SNIFFING;
    /** Client bytes seen while undecided; null until a call leaves the guess open. */
    private ByteBuffer held;
    private FlowObserver follower = FlowObserver.NONE;

    ProtocolSniffer(FlowId flow, Supplier<FlowObserver> http) {
        this.flow = flow;
        this.http = http;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        switch (state) {
            case HTTP -> follower.onClientData(data);
            case SNIFFING -> sniff(data);
            case OPAQUE -> { }
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        switch (state) {
            case HTTP -> follower.onServerData(data);
            case SNIFFING -> becomeOpaque("the server spoke first");
            case OPAQUE -> { }
        }
    }

    @Override
    public void onClientEnd() {
        switch (state) {
            case HTTP -> follower.onClientEnd();
            case SNIFFING -> becomeOpaque("the client closed before a request line");
            case OPAQUE -> { }
        }
    }

    @Override
    public void onServerEnd() {
        switch (state) {
            case HTTP -> follower.onServerEnd();
            case SNIFFING -> becomeOpaque("the server closed first");
            case OPAQUE -> { }
        }
    }

    @Override
    public void onClose(boolean reset) {
        follower.onClose(reset);
        held = null;
    }

    private void sniff(ByteBuffer data) {
        if (held == null) {
            // The usual case: the first segment decides, and nothing is copied.
            ProtocolGuess guess = ProtocolGuess.of(data);
            if (guess == ProtocolGuess.NEED_MORE) {
                held = ByteBuffer.allocate(ProtocolGuess.DECISIVE_BYTES);
                hold(data.duplicate());
            } else {
                decide(guess, data);
            }
            return;
        }
        ByteBuffer rest = data.duplicate(); // the relay's buffer position stays where it was
        hold(rest);
        ProtocolGuess guess = ProtocolGuess.of(held.duplicate().flip());
        if (guess != ProtocolGuess.NEED_MORE) {
            decide(guess, held.flip());
            held = null;
            if (state == State.HTTP && rest.hasRemaining()) {
                follower.onClientData(rest);
            }
        }
    }

    /** Copies as much of {@code data} as still fits; the guess is decisive once the buffer is full. */
    private void hold(ByteBuffer data) {
        int count = Math.min(held.remaining(), data.remaining());
        held.put(held.position(), data, data.position(), count);
        held.position(held.position() + count);
        data.position(data.position() + count);
    }

    private void decide(ProtocolGuess guess, ByteBuffer firstBytes) {
        if (guess != ProtocolGuess.HTTP1) {
            becomeOpaque("the client sent " + guess.description);
            return;
        }
        Log.verbose("%s: following as HTTP/1", flow);
        state = State.HTTP;
        follower = http.get();
        follower.onClientData(firstBytes);
    }

    private void becomeOpaque(String reason) {
        Log.verbose("%s: %s, not following", flow, reason);
        state = State.OPAQUE;
        held = null;
    }
}
