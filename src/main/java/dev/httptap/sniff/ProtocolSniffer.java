package dev.httptap.sniff;

import dev.httptap.log.Log;
import dev.httptap.relay.FlowObserver;
import dev.httptap.stack.FlowId;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Decides, from the first bytes the client sends, whether a connection is HTTP/1 or HTTP/2 (its connection
 * preface, over TLS or in clear with prior knowledge) worth following. The relay forwards every byte
 * regardless; this only keeps a copy of the few bytes that arrived before the decision (at most
 * {@link ProtocolGuess#DECISIVE_BYTES} from the client, and what the server sent first, which an HTTP/2
 * server may do: its SETTINGS) and replays them to the chosen observer. A connection found to be something
 * else (TLS, a server that speaks first to an HTTP/1 client, binary) is ignored from then on at the cost of
 * one comparison per call.
 */
final class ProtocolSniffer implements FlowObserver {
    /** An HTTP/2 server's first bytes (SETTINGS, perhaps a WINDOW_UPDATE) fit well within this. */
    static final int MAX_SERVER_BYTES_FIRST = 16 * 1024;

    private enum State { SNIFFING, HTTP, OPAQUE }

    private final FlowId flow;
    private final Supplier<FlowObserver> http1;
    private final Supplier<FlowObserver> http2;
    private State state = State.SNIFFING;
    /** Client bytes seen while undecided; null until a call leaves the guess open. */
    private ByteBuffer held;
    /** Server bytes that came before the client's decisive ones; null when none did. */
    private ByteBuffer serverFirst;
    private FlowObserver follower = FlowObserver.NONE;

    ProtocolSniffer(FlowId flow, Supplier<FlowObserver> http1, Supplier<FlowObserver> http2) {
        this.flow = flow;
        this.http1 = http1;
        this.http2 = http2;
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
            case SNIFFING -> holdServerBytes(data);
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
        serverFirst = null;
    }

    private void holdServerBytes(ByteBuffer data) {
        if (serverFirst == null) {
            serverFirst = ByteBuffer.allocate(MAX_SERVER_BYTES_FIRST);
        }
        if (data.remaining() > serverFirst.remaining()) {
            becomeOpaque("the server spoke first, at length");
            return;
        }
        serverFirst.put(data.duplicate());
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
        Supplier<FlowObserver> chosen = switch (guess) {
            case HTTP1 -> serverFirst == null ? http1 : null; // an HTTP/1 server never speaks first
            case HTTP2_PREFACE -> http2;
            default -> null;
        };
        if (chosen == null) {
            becomeOpaque(guess == ProtocolGuess.HTTP1 ? "the server spoke first" : "the client sent " + guess.description);
            return;
        }
        Log.verbose("%s: following as %s", flow, guess == ProtocolGuess.HTTP1 ? "HTTP/1" : "HTTP/2");
        state = State.HTTP;
        follower = chosen.get();
        follower.onClientData(firstBytes);
        if (serverFirst != null) {
            follower.onServerData(serverFirst.flip().asReadOnlyBuffer());
            serverFirst = null;
        }
    }

    private void becomeOpaque(String reason) {
        Log.verbose("%s: %s, not following", flow, reason);
        state = State.OPAQUE;
        held = null;
        serverFirst = null;
    }
}
