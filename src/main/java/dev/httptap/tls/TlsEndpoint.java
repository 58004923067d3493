package dev.httptap.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One side of a TLS connection driven by bytes, with no I/O: network bytes go in through {@link #receive},
 * plaintext through {@link #send}; what the engine produces comes out through {@link Output}. Holds only
 * the engine's own buffers (about one TLS record each way), so memory per connection stays bounded.
 * Delegated tasks (certificate checks, key exchange) run inline on the caller's thread.
 */
final class TlsEndpoint {
    /** Where the endpoint's products go. Buffers are valid only during the call. */
    interface Output {
        /** TLS bytes to send to the peer. */
        void network(ByteBuffer bytes);

        /** Plaintext the peer sent. */
        void application(ByteBuffer bytes);

        /** The handshake completed. */
        void handshakeDone();
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Stops a confused engine from spinning: no legitimate step needs this many rounds for one input. */
    private static final int MAX_ROUNDS = 10_000;
    /** Records are at most one packet buffer; a few are allowed for engines that ask for more. */
    private static final int MAX_PACKETS_HELD = 4;

    private final SSLEngine engine;
    private final Output output;
    /** The ClientHello's random when this endpoint's secrets are logged ({@link SecretScope}); else null. */
    private final String secretsOf;
    /** Network bytes not yet unwrapped, in write mode. */
    private ByteBuffer networkIn;
    private ByteBuffer networkOut;
    private ByteBuffer applicationIn;
    private boolean handshakeDone;
    private boolean advancing;

    TlsEndpoint(SSLEngine engine, Output output) {
        this(engine, output, null);
    }

    /** {@code secretsOf}: the client random the secrets this engine derives are reported under, or null. */
    TlsEndpoint(SSLEngine engine, Output output, String secretsOf) {
        this.engine = engine;
        this.output = output;
        this.secretsOf = secretsOf;
        SSLSession session = engine.getSession();
        this.networkIn = ByteBuffer.allocate(session.getPacketBufferSize());
        this.networkOut = ByteBuffer.allocate(session.getPacketBufferSize());
        this.applicationIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** True once the peer's close_notify arrived. */
    boolean isInboundDone() {
        return engine.isInboundDone();
    }

    /**
     * True when the bytes waiting for the rest of their record do not begin a TLS record (a content type
     * from change_cipher_spec to heartbeat, version 3.x): JSSE waits for as many bytes as such a "header"
     * claims, where OpenSSL, as a client, fails at once.
     */
    boolean holdsNonTlsRecord() {
        if (networkIn.position() < 2) {
            return false;
        }
        int type = networkIn.get(0);
        return type < 20 || type > 24 || networkIn.get(1) != 3;
    }

    /** Starts the handshake; a client sends its ClientHello now. */
    void start() throws SSLException {
        if (secretsOf != null) {
            inScope(this::begin);
            return;
        }
        begin();
    }

    private void begin() throws SSLException {
        engine.beginHandshake();
        advance();
    }

    /** Takes all of {@code bytes} from the peer. */
    void receive(ByteBuffer bytes) throws SSLException {
        if (secretsOf != null) {
            inScope(() -> take(bytes));
            return;
        }
        take(bytes);
    }

    private void take(ByteBuffer bytes) throws SSLException {
        ByteBuffer input = bytes.duplicate();
        while (input.hasRemaining()) {
            if (!networkIn.hasRemaining()) {
                int packetSize = engine.getSession().getPacketBufferSize();
                if (networkIn.capacity() >= MAX_PACKETS_HELD * packetSize) {
                    throw new SSLException("the peer sent a TLS record too large to read");
                }
                networkIn = grown(networkIn, packetSize);
            }
            int count = Math.min(networkIn.remaining(), input.remaining());
            networkIn.put(networkIn.position(), input, input.position(), count);
            networkIn.position(networkIn.position() + count);
            input.position(input.position() + count);
            advance();
        }
    }

    /** Encrypts all of {@code plaintext} for the peer. */
    void send(ByteBuffer plaintext) throws SSLException {
        if (secretsOf != null) {
            inScope(() -> encrypt(plaintext));
            return;
        }
        encrypt(plaintext);
    }

    private void encrypt(ByteBuffer plaintext) throws SSLException {
        ByteBuffer input = plaintext.duplicate();
        for (int round = 0; input.hasRemaining() && !engine.isOutboundDone(); round++) {
            checkRounds(round);
            wrap(input);
        }
        advance();
    }

    /** Sends close_notify; later {@link #send} calls send nothing. */
    void close() throws SSLException {
        engine.closeOutbound();
        for (int round = 0; !engine.isOutboundDone(); round++) {
            checkRounds(round);
            if (wrap(EMPTY).bytesProduced() == 0) {
                break;
            }
        }
    }

    /** Engine work whose derived secrets are this connection's. */
    @FunctionalInterface
    private interface EngineWork {
        void run() throws SSLException;
    }

    private void inScope(EngineWork work) throws SSLException {
        String previous = SecretScope.enter(secretsOf);
        try {
            work.run();
        } finally {
            SecretScope.restore(previous);
        }
    }

    /** After a failure: sends whatever alert the engine has ready, ignoring further errors. */
    void sendPendingAlert() {
        try {
            close();
        } catch (SSLException | RuntimeException e) {
            // the engine is broken already; the alert is a courtesy
        }
    }

    /**
     * Runs the engine until it needs more input from the peer or the caller. An {@link Output} callback
     * that sends (a 502, held bytes) re-enters here; the outer call carries on instead, so the buffers
     * handed to the callback are never overwritten under it.
     */
    private void advance() throws SSLException {
        if (advancing) {
            return;
        }
        advancing = true;
        try {
            advanceLoop();
        } finally {
            advancing = false;
        }
    }

    private void advanceLoop() throws SSLException {
        for (int round = 0; ; round++) {
            checkRounds(round);
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    SSLEngineResult result = wrap(EMPTY);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesProduced() == 0) {
                        return;
                    }
                }
                default -> {
                    if (!unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    /** One unwrap of the buffered network bytes; false when nothing more can happen without new input. */
    private boolean unwrap() throws SSLException {
        if (networkIn.position() == 0
                && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN) {
            return false;
        }
        networkIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(networkIn, applicationIn);
        } finally {
            networkIn.compact();
        }
        deliverApplication();
        noteFinished(result);
        return switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> false;
            case BUFFER_OVERFLOW -> {
                applicationIn = grown(applicationIn, engine.getSession().getApplicationBufferSize());
                yield true;
            }
            case CLOSED -> engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
            case OK -> result.bytesConsumed() > 0 || result.bytesProduced() > 0 || hasWorkBesidesUnwrap();
        };
    }

    private boolean hasWorkBesidesUnwrap() {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NEED_TASK
                || status == SSLEngineResult.HandshakeStatus.NEED_WRAP
                || status == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    private SSLEngineResult wrap(ByteBuffer plaintext) throws SSLException {
        while (true) {
            networkOut.clear();
            SSLEngineResult result = engine.wrap(plaintext, networkOut);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                networkOut = ByteBuffer.allocate(Math.max(2 * networkOut.capacity(),
                        engine.getSession().getPacketBufferSize()));
                continue;
            }
            networkOut.flip();
            if (networkOut.hasRemaining()) {
                output.network(networkOut);
            }
            noteFinished(result);
            return result;
        }
    }

    private void deliverApplication() {
        applicationIn.flip();
        if (applicationIn.hasRemaining()) {
            output.application(applicationIn);
        }
        applicationIn.clear();
    }

    private void noteFinished(SSLEngineResult result) {
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeDone = true;
            output.handshakeDone();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static ByteBuffer grown(ByteBuffer buffer, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() + atLeast));
        return larger.put(buffer.flip());
    }

    private static void checkRounds(int round) throws SSLException {
        if (round > MAX_ROUNDS) {
            throw new SSLException("the TLS engine made no progress");
        }
    }
}
