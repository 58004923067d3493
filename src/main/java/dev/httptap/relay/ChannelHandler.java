package dev.httptap.relay;

/** What the event loop calls when a registered channel is ready; attached to its selection key. */
interface ChannelHandler {
    /** {@code readyOps} as in {@link java.nio.channels.SelectionKey#readyOps()}. */
    void onReady(int readyOps);

    /**
     * The loop caught something unexpected from {@link #onReady}, an {@link Error} such as a
     * StackOverflowError included: release everything, quietly, so the loop can serve every other flow.
     */
    void fail(Throwable error);
}
