package dev.httptap.stack;

/**
 * The states of an accepted connection (RFC 9293 section 3.3.2). LISTEN and SYN-SENT do not occur: the
 * stack never opens connections, and a SYN waiting for the forwarder is a {@link PendingConnection}.
 */
enum TcpState {
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED;

    /** True in the states where the child may still send data to us. */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** True in the states where our data (or FIN) may still be in flight. */
    boolean sendsData() {
        return this == ESTABLISHED || this == CLOSE_WAIT || this == FIN_WAIT_1 || this == CLOSING
                || this == LAST_ACK;
    }
}
