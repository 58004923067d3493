package dev.httptap.event;

/** How an exchange ended, or that it has not ended yet. */
public enum Outcome {
    /** Still in progress. */
    PENDING,
    /** The whole response arrived (for a protocol switch: its head; what follows is another protocol). */
    COMPLETE,
    /** The server closed the connection before any response head arrived. */
    NO_RESPONSE,
    /** The server closed the connection in the middle of the response body. */
    CLOSED_MID_RESPONSE,
    /** The connection was reset or aborted before the exchange completed. */
    RESET,
    /** The bytes stopped making sense as HTTP, so the rest of the connection was not followed. */
    UNPARSEABLE;

    /** True for every ending but a complete one. */
    public boolean isCutShort() {
        return this != PENDING && this != COMPLETE;
    }
}
