package dev.httptap.stack;

/**
 * Sizes the stack works with. {@code mtu} is the TUN device's; the per-connection buffers bound the
 * memory of each TCP connection (receive buffer = the largest window advertised to the child): at most
 * their sum plus one window unit while bytes wait, and none once both have been empty for a second.
 * {@code maxHalfOpen} bounds the connections the child has opened and not completed (SYNs the forwarder
 * decides, and SYN-RECEIVED): past it new SYNs are dropped, as a full listen backlog drops them, so that a
 * flood of SYNs the child never completes cannot tie up a descriptor each for a minute without end.
 */
public record StackConfig(int mtu, int receiveBufferBytes, int sendBufferBytes, int maxHalfOpen) {
    /** Twice the 4,096 of Linux's somaxconn: 4,000 connections opened at once all get through. */
    static final int DEFAULT_MAX_HALF_OPEN = 8192;

    public static StackConfig defaults() {
        return new StackConfig(65520, 512 * 1024, 512 * 1024, DEFAULT_MAX_HALF_OPEN);
    }
}
