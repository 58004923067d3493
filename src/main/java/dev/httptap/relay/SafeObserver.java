package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;

/**
 * Shields the relay from a failing observer: the first failure (an Error such as StackOverflowError from a
 * parser included) is logged, and from then on the flow is relayed without observation
 * ({@link FlowObserver#NONE}). The bytes keep flowing either way.
 */
public final class SafeObserver implements FlowObserver {
    private final FlowId flow;
    private FlowObserver delegate;

    SafeObserver(FlowId flow, FlowObserver delegate) {
        this.flow = flow;
        this.delegate = delegate;
    }

    /** Opens the factory's observer for a new connection; a factory that throws gives no observer. */
    public static SafeObserver open(FlowObserverFactory factory, FlowId flow, java.net.InetSocketAddress upstream) {
        try {
            return new SafeObserver(flow, factory.open(flow, upstream));
        } catch (RuntimeException e) {
            Log.error("%s: observer could not start, relaying without it: %s", flow, e);
            return new SafeObserver(flow, FlowObserver.NONE);
        }
    }

    @Override
    public void onClientData(ByteBuffer data) {
        try {
            delegate.onClientData(data);
        } catch (Throwable e) {
            disable(e);
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        try {
            delegate.onServerData(data);
        } catch (Throwable e) {
            disable(e);
        }
    }

    @Override
    public void onClientEnd() {
        try {
            delegate.onClientEnd();
        } catch (Throwable e) {
            disable(e);
        }
    }

    @Override
    public void onServerEnd() {
        try {
            delegate.onServerEnd();
        } catch (Throwable e) {
            disable(e);
        }
    }

    @Override
    public void onClose(boolean reset) {
        try {
            delegate.onClose(reset);
        } catch (Throwable e) {
            disable(e);
        }
    }

    private void disable(Throwable error) {
        Log.error("%s: observer failed, relaying without it from now on: %s", flow, error);
        delegate = FlowObserver.NONE;
    }
}
