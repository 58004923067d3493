package dev.httptap.http2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The server's bytes on their way to the client, as {@link Http2Gate} follows them: only frame headers are
 * read, so that the frames the gate makes itself (a refused stream's answer, flow-control credit) reach the
 * client between the server's frames, after its SETTINGS (which must come first) and never inside a frame
 * or a header block (whose frames must follow each other). It also keeps the client's connection window,
 * which the server's DATA and the gate's both use: the gate's DATA is repaid out of the client's next
 * WINDOW_UPDATEs before they go on, so the server never counts on room the gate took. And it tells the
 * {@link ClientTableLimit} where the client reads the server's SETTINGS ACKs and header blocks, which decide
 * how a block of the gate's must open where it goes.
 */
final class ServerStream {
    /** Every connection window starts so (RFC 9113 section 6.9.2). */
    static final int INITIAL_WINDOW = 65_535;

    private final Consumer<ByteBuffer> onward;
    private final Consumer<ByteBuffer> toClient;
    private final ClientTableLimit tableLimit;
    private final ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE);
    /** The gate's frames, each written when it goes, as what it says may depend on what the client read before. */
    private final List<Consumer<ByteArrayOutputStream>> waiting = new ArrayList<>();
    private int payloadLeft;
    private boolean sawFirstFrame;
    private boolean inHeaderBlock;
    /** What the client will still take on the connection, as it would count. */
    private long clientWindow = INITIAL_WINDOW;
    /** Bytes of the gate's DATA not yet taken back from the client's WINDOW_UPDATEs. */
    private long debt;

    /**
     * @param onward where the server's bytes go (unchanged, in order)
     * @param toClient where the gate's frames go, between them
     * @param tableLimit told of the server's SETTINGS ACKs and header blocks as the client reads them
     */
    ServerStream(Consumer<ByteBuffer> onward, Consumer<ByteBuffer> toClient, ClientTableLimit tableLimit) {
        this.onward = onward;
        this.toClient = toClient;
        this.tableLimit = tableLimit;
    }

    /** Follows server bytes that went to the client before the gate started. */
    void skim(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        while (view.hasRemaining()) {
            follow(view);
        }
    }

    /** Passes {@code bytes} on, with the frames waiting put in at the first place they may go. */
    void pass(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        int start = view.position();
        while (view.hasRemaining()) {
            if (isBetweenFrames() && !waiting.isEmpty()) {
                passFrom(view, start);
                start = view.position();
                sendWaiting();
            }
            follow(view);
        }
        passFrom(view, start);
        if (isBetweenFrames()) {
            sendWaiting();
        }
    }

    /** Frames of the gate's for the client: sent now when the server is between frames, else at the next place. */
    void add(byte[] frames) {
        add(out -> out.writeBytes(frames));
    }

    /** Frames of the gate's for the client, written by {@code frames} when they go (now, or at the next place). */
    void add(Consumer<ByteArrayOutputStream> frames) {
        waiting.add(frames);
        if (isBetweenFrames()) {
            sendWaiting();
        }
    }

    /** Whether {@code bytes} of DATA from the gate fit in the client's connection window now. */
    boolean roomFor(int bytes) {
        return bytes <= clientWindow;
    }

    /** The gate sends the client {@code bytes} of DATA, which the server will not know of. */
    void gateSent(int bytes) {
        clientWindow -= bytes;
        debt += bytes;
    }

    /**
     * The client credits the connection with {@code increment} bytes (a WINDOW_UPDATE on stream 0): what
     * of it goes on to the server, the gate's DATA taken out first (0: nothing goes on).
     */
    int credited(int increment) {
        clientWindow += increment;
        long repaid = Math.min(debt, increment);
        debt -= repaid;
        return (int) (increment - repaid);
    }

    private void passFrom(ByteBuffer view, int start) {
        if (view.position() > start) {
            onward.accept(view.slice(start, view.position() - start));
        }
    }

    private boolean isBetweenFrames() {
        return sawFirstFrame && header.position() == 0 && payloadLeft == 0 && !inHeaderBlock;
    }

    private void sendWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        waiting.forEach(writer -> writer.accept(frames));
        waiting.clear();
        toClient.accept(ByteBuffer.wrap(frames.toByteArray()));
    }

    /** Reads a frame header, or skips payload. */
    private void follow(ByteBuffer view) {
        if (payloadLeft > 0) {
            int count = Math.min(payloadLeft, view.remaining());
            view.position(view.position() + count);
            payloadLeft -= count;
            return;
        }
        while (header.hasRemaining() && view.hasRemaining()) {
            header.put(view.get());
        }
        if (header.hasRemaining()) {
            return;
        }
        FrameHeader frame = FrameHeader.parse(header.flip());
        header.clear();
        sawFirstFrame = true;
        payloadLeft = frame.length();
        switch (frame.type()) {
            case FrameHeader.DATA -> clientWindow -= frame.length();
            case FrameHeader.HEADERS, FrameHeader.PUSH_PROMISE -> { // a pushed request's block is in the same HPACK context
                inHeaderBlock = !frame.has(FrameHeader.FLAG_END_HEADERS);
                tableLimit.blockStarted();
            }
            case FrameHeader.SETTINGS -> {
                if (frame.has(FrameHeader.FLAG_ACK) && frame.streamId() == 0) {
                    tableLimit.acknowledged();
                }
            }
            case FrameHeader.CONTINUATION -> inHeaderBlock &= !frame.has(FrameHeader.FLAG_END_HEADERS);
            default -> { }
        }
    }
}
