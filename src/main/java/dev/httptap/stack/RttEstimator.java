package dev.httptap.stack;

/** Round-trip time estimate and retransmission timeout per RFC 6298, in nanoseconds. */
final class RttEstimator {
    static final long INITIAL_RTO = 1_000_000_000L;
    static final long MIN_RTO = 200_000_000L;
    static final long MAX_RTO = 60_000_000_000L;
    /** Clock granularity G of RFC 6298: the stack's timers are precise to about a millisecond. */
    private static final long GRANULARITY = 1_000_000L;

    private long smoothedRtt;
    private long rttVariation;
    private boolean hasSample;
    private long baseTimeout = INITIAL_RTO;
    private long timeout = INITIAL_RTO;

    /** Adds one measurement (RFC 6298 section 2) and clears any backoff. */
    void sample(long rtt) {
        if (!hasSample) {
            smoothedRtt = rtt;
            rttVariation = rtt / 2;
            hasSample = true;
        } else {
            rttVariation = (3 * rttVariation + Math.abs(smoothedRtt - rtt)) / 4;
            smoothedRtt = (7 * smoothedRtt + rtt) / 8;
        }
        baseTimeout = Math.min(MAX_RTO, Math.max(MIN_RTO, smoothedRtt + Math.max(GRANULARITY, 4 * rttVariation)));
        timeout = baseTimeout;
    }

    /** Doubles the timeout after an expiry (section 5.5). */
    void backOff() {
        timeout = Math.min(MAX_RTO, timeout * 2);
    }

    /** Returns to the estimate after new data is acknowledged. */
    void clearBackoff() {
        timeout = baseTimeout;
    }

    long timeout() {
        return timeout;
    }

    long smoothedRtt() {
        return smoothedRtt;
    }
}
