package dev.httptap.stack;

/**
 * Sizes the stack works with. {@code mtu} is the TUN device's; the per-connection buffers bound the
 * memory of each TCP connection (receive buffer = the largest window advertised to the child): at most
 * their sum plus one window unit while bytes wait, and none once both have been empty for a second.
 */
public record StackConfig(int mtu, int receiveBufferBytes, int sendBufferBytes) {
    public static StackConfig defaults() {
        return new StackConfig(65520, 512 * 1024, 512 * 1024);
    }
}
