package dev.httptap.relay;

import java.nio.ByteBuffer;

/** A connection's handler, counting the payload bytes each way and telling the totals when it ends. */
final class TallyingHandler implements FlowHandler {
    /** Hears the totals once, when the connection is over. */
    @FunctionalInterface
    interface Totals {
        void ended(long sent, long received);
    }

    private final FlowHandler handler;
    private final Totals totals;
    private long sent;
    private long received;

    TallyingHandler(FlowHandler handler, Totals totals) {
        this.handler = handler;
        this.totals = totals;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        sent += data.remaining();
        handler.onClientData(data);
    }

    @Override
    public void onServerData(ByteBuffer data) {
        received += data.remaining();
        handler.onServerData(data);
    }

    @Override
    public void onClientEnd() {
        handler.onClientEnd();
    }

    @Override
    public void onServerEnd() {
        handler.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        try {
            handler.onClose(reset);
        } finally {
            totals.ended(sent, received);
        }
    }
}
