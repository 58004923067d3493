package dev.httptap.relay;

/** What the event loop calls when a registered channel is ready; attached to its selection key. */
interface ChannelHandler {
    /** {@code readyOps} as in {@link java.nio.channels.SelectionKey#readyOps()}. */
    void onReady(int readyOps);

    /** The loop caught an unexpected exception from {@link #onReady}: release everything, quietly. */
    void fail(RuntimeException error);
}
