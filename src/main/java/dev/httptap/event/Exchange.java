package dev.httptap.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One request and its response, shared by every protocol (HTTP/1 now, HTTP/2 later) and every sink.
 *
 * <p>The protocol layer that owns the exchange fills it in as bytes arrive, always on that connection's
 * thread, and hands it to listeners at each step. Once {@link #outcome()} is no longer
 * {@link Outcome#PENDING} it never changes again (but for its {@linkplain #decodedResponseLength decoded
 * length}, set before any sink hears of the end), so a sink may keep it or pass it to another thread.
 */
public final class Exchange {
    private final ConnectionInfo connection;
    private final RequestHead request;
    private final long startEpochMillis;
    private final long startNanos;

    private ResponseHead response;
    private long requestEndNanos = -1;
    private Headers trailers = Headers.EMPTY;
    private long responseNanos = -1;
    private long endNanos = -1;
    private long requestBodyBytes;
    private long responseBodyBytes;
    private DecodedLength decodedResponse;
    private boolean requestComplete;
    private boolean responseComplete;
    private Outcome outcome = Outcome.PENDING;
    /** What the report leaves out or had to guess (a head cut for display, a body framing guessed); rare. */
    private List<String> notes = List.of();
    private String notFollowedReason;
    /** {@link #url()}, once made; a race only makes it twice. */
    private volatile String url;

    public Exchange(ConnectionInfo connection, RequestHead request, long startEpochMillis, long startNanos) {
        this.connection = connection;
        this.request = request;
        this.startEpochMillis = startEpochMillis;
        this.startNanos = startNanos;
    }

    public ConnectionInfo connection() {
        return connection;
    }

    public RequestHead request() {
        return request;
    }

    /** The final response head (never an interim 1xx other than 101), once it has arrived. */
    public Optional<ResponseHead> response() {
        return Optional.ofNullable(response);
    }

    /** The response's trailer fields (HTTP/2 trailing HEADERS, e.g. gRPC's grpc-status); empty when none. */
    public Headers trailers() {
        return trailers;
    }

    /** Request body bytes seen so far, without transfer framing (chunk headers are not counted). */
    public long requestBodyBytes() {
        return requestBodyBytes;
    }

    /** Response body bytes seen so far, without transfer framing. */
    public long responseBodyBytes() {
        return responseBodyBytes;
    }

    /**
     * The response body's decoded length, when it had a content coding; empty when it had none (its length
     * is then {@link #responseBodyBytes()}) or when nothing measured it.
     */
    public Optional<DecodedLength> decodedResponseLength() {
        return Optional.ofNullable(decodedResponse);
    }

    public boolean isRequestComplete() {
        return requestComplete;
    }

    public boolean isResponseComplete() {
        return responseComplete;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Remarks on what this report shows differently from the wire (truncated, guessed); usually none. */
    public List<String> notes() {
        return notes;
    }

    /** Why the exchange could not be followed to its end, for {@link Outcome#UNPARSEABLE}; else empty. */
    public Optional<String> notFollowedReason() {
        return Optional.ofNullable(notFollowedReason);
    }

    /** Wall-clock time at which the request head was seen. */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Monotonic time at which the request head was seen. */
    public long startNanos() {
        return startNanos;
    }

    /** Monotonic time at which the request's last byte was seen, or -1 (not yet, or not recorded). */
    public long requestEndNanos() {
        return requestEndNanos;
    }

    /** Monotonic time at which the response head was seen, or -1. */
    public long responseNanos() {
        return responseNanos;
    }

    /** Monotonic time at which the exchange finished, or -1. */
    public long endNanos() {
        return endNanos;
    }

    /**
     * The URL the request was for, as its user would have typed it ({@link RequestUrl}): an absolute-form
     * target as it is; otherwise the scheme, the Host header (or the destination address when there is none),
     * the port the connection used when Host leaves it out, and the target. Made once: the request is fixed.
     */
    public String url() {
        String made = url;
        if (made == null) {
            made = makeUrl();
            url = made;
        }
        return made;
    }

    private String makeUrl() {
        String target = request.target();
        if (isAbsoluteUrl(target)) {
            return RequestUrl.absolute(target);
        }
        if (request.method().equals("CONNECT")) {
            return connection.scheme() + "://" + target;
        }
        String host = request.headers().first("Host").orElse("");
        return RequestUrl.of(connection.scheme(), host.isEmpty() ? connection.destination() : host,
                connection.flow().server().getPort(), target);
    }

    private static boolean isAbsoluteUrl(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    // Progress, reported by the protocol layer that owns this exchange.

    public void addRequestBodyBytes(long count) {
        requestBodyBytes += count;
    }

    public void addResponseBodyBytes(long count) {
        responseBodyBytes += count;
    }

    /** The request is complete: its last byte was seen at {@code nanos}. */
    public void markRequestComplete(long nanos) {
        requestComplete = true;
        requestEndNanos = nanos;
    }

    public void recordResponse(ResponseHead head, long nanos) {
        response = head;
        responseNanos = nanos;
    }

    public void recordTrailers(Headers fields) {
        trailers = fields;
    }

    /**
     * Set once the exchange has ended, by the listener that decodes bodies, before it passes the end on to
     * the sinks (on the same thread): the one thing recorded after {@link #finish}, as only the end says
     * whether a coded stream is whole.
     */
    public void recordDecodedResponseLength(DecodedLength length) {
        decodedResponse = length;
    }

    public void markResponseComplete() {
        responseComplete = true;
    }

    public void addNote(String note) {
        if (notes.isEmpty()) {
            notes = new ArrayList<>(2);
        }
        notes.add(note);
    }

    /** Ends the exchange as {@link Outcome#UNPARSEABLE}, saying why; false when it had already ended. */
    public boolean finishNotFollowed(String reason, long nanos) {
        if (!finish(Outcome.UNPARSEABLE, nanos)) {
            return false;
        }
        notFollowedReason = reason;
        return true;
    }

    /** Ends the exchange; returns false (and changes nothing) when it had already ended. */
    public boolean finish(Outcome how, long nanos) {
        if (how == Outcome.PENDING) {
            throw new IllegalArgumentException("an exchange cannot finish as PENDING");
        }
        if (outcome != Outcome.PENDING) {
            return false;
        }
        outcome = how;
        endNanos = nanos;
        return true;
    }

    @Override
    public String toString() {
        return request.method() + " " + url() + " -> "
                + (response == null ? "(no response)" : response.status()) + " " + outcome;
    }
}
