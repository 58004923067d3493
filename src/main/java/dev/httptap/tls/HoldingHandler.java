package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import java.nio.ByteBuffer;

/**
 * A handler that holds a new connection's first client bytes, up to a bound, until they decide who handles
 * the connection ({@link #decided}); anything else first (too many bytes, the server speaking, an end)
 * decides it without them. The one chosen gets everything after, the held bytes first.
 */
abstract class HoldingHandler implements FlowHandler {
    final HeldBytes held;
    /** Who handles the connection once decided; null while undecided. */
    FlowHandler decided;

    HoldingHandler(int holdLimit) {
        this.held = new HeldBytes(holdLimit);
    }

    /** Looks at the bytes held so far; sets {@link #decided} once they say enough. */
    abstract void read(ByteBuffer heldSoFar);

    /** Sets {@link #decided} without the answer the bytes would have given, for {@code reason}. */
    abstract void decideWithout(String reason);

    @Override
    public void onClientData(ByteBuffer data) {
        if (decided != null) {
            decided.onClientData(data);
            return;
        }
        if (!held.add(data)) {
            decideWithout("more bytes than a decision waits for");
            decided.onClientData(data);
            return;
        }
        read(held.view());
    }

    @Override
    public void onServerData(ByteBuffer data) {
        if (decided == null) {
            decideWithout("the server spoke first");
        }
        decided.onServerData(data);
    }

    @Override
    public void onClientEnd() {
        if (decided == null) {
            decideWithout("the client finished sending first");
        }
        decided.onClientEnd();
    }

    @Override
    public void onServerEnd() {
        if (decided == null) {
            decideWithout("the server finished sending first");
        }
        decided.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        if (decided != null) {
            decided.onClose(reset);
        }
    }
}
