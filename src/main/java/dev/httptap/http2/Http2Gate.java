package dev.httptap.http2;

import dev.httptap.event.Header;
import dev.httptap.log.Log;
import dev.httptap.policy.HostPort;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The egress policy's check of every HTTP/2 request (over TLS, or h2c): a connection whose server name was
 * allowed may still carry requests whose {@code :authority} names another server (domain fronting), which
 * a CDN at that address may well serve. Each request's header block is held until it is whole, decoded and
 * decided; an allowed one goes on, a denied one never reaches the server (nor its CONTINUATION, DATA or
 * anything else on its stream), and the client gets a 403 on that stream whose body names the rule, while
 * its other streams go on. Only when there is a policy: without one, the handler itself, at no cost.
 *
 * <p>Why a 403 rather than RST_STREAM(REFUSED_STREAM): REFUSED_STREAM says "not processed, retry" (RFC 9113
 * section 8.7), and curl retries, on new connections, so the user would never see why; a 403 whose body
 * says why is an answer every client shows.
 *
 * <p>HPACK: the client's encoder and the server's decoder share a dynamic table that every header block
 * may change, in order. The gate keeps its own copy ({@link FieldListDecoder}), fed every client block. A
 * dropped block that changed the table would leave the server's copy behind, and the client's later blocks
 * would decode to other fields there; so from then on the gate re-encodes every block it passes on as
 * literals ({@link LiteralBlock}), the first after a table size update to 0: they mean the same whatever
 * the server's table holds and leave it empty. So does every block after one of the client's that opened
 * with a table size update (passed on or dropped), which the server's decoder may insist on (a lowered
 * SETTINGS_HEADER_TABLE_SIZE). Until such a drop, blocks pass on as they came, byte for byte.
 * The 403's own block is literals too, so the client's table (the server encoder's) keeps its entries; it
 * opens with the table size updates the client's decoder expects where it goes ({@link ClientTableLimit}).
 *
 * <p>Streams: a header block on a stream the client opened before is trailers, which carry no pseudo-header
 * fields (RFC 9113 section 8.1); one with them, or on a stream the server opened (a pushed one, even), is a
 * request the policy would not have decided, and resets the connection as a server must. Streams the server
 * pushes are its own (even) and never among the refused ones, so the client's frames on them pass on.
 *
 * <p>Flow control: a dropped DATA frame used the client's connection window, which the server, never seeing
 * it, would never credit back; the gate credits it with a WINDOW_UPDATE of its own. The 403's body uses the
 * client's receive window, which the server does not know of: {@link ServerStream} takes it back out of
 * the client's next WINDOW_UPDATE on its way to the server. The body is left out when it does not fit the
 * windows. Until that WINDOW_UPDATE, the server could overrun the client's window by the body's length,
 * if it used the whole window at once; a few dozen bytes.
 *
 * <p>Bytes that are not HTTP/2: a connection that does not open with the client preface was decided by
 * its address or server name, and is passed on untouched; after the preface, frames the gate cannot read
 * (or a header block it cannot decode: the server could not either) reset the connection, as a request
 * the gate cannot read could be one a server reads.
 */
public final class Http2Gate implements FlowHandler {
    /** Refused streams remembered, to drop what the client still sends on them; the oldest is forgotten first. */
    static final int MAX_REFUSED_STREAMS = 1024;
    /** SETTINGS and WINDOW_UPDATE are held whole to be read; real ones are a few dozen bytes. */
    private static final int MAX_HELD_CONTROL_BYTES = 64 * 1024;
    private static final int NO_ERROR = 0x0;

    private enum State { PREFACE, FRAME_HEADER, PAYLOAD, UNCHECKED, STOPPED }

    /** What becomes of a client frame: its bytes go on as they come, are dropped, or are held to be read. */
    private enum Fate { PASS, DROP, HOLD }

    private final FlowId flow;
    private final FlowPeers peers;
    private final ServerNameCheck check;
    private final FlowHandler inner;
    private final ServerStream server;
    private final FieldListDecoder decoder = new FieldListDecoder();
    private final ClientTableLimit tableLimit = new ClientTableLimit();
    private final LinkedHashSet<Integer> refused = new LinkedHashSet<>();
    private final ByteBuffer frameHeader = ByteBuffer.allocate(FrameHeader.SIZE);
    private State state = State.PREFACE;
    private int prefaceMatched;
    private FrameHeader frame;
    private Fate fate;
    private int payloadLeft;
    private ByteBuffer held;
    /** The header block being gathered; null between blocks. */
    private HeldBlock block;
    /** The highest stream the client opened, and the highest the server was shown opening. */
    private int lastOpened;
    private int lastPassedOn;
    /** A dropped header block changed the dynamic table: blocks are re-encoded from then on. */
    private boolean outOfStep;
    /** The next re-encoded block opens with a table size update (to 0): the server's decoder may expect one. */
    private boolean tableUpdateOwed;
    /** The window a stream of the client's starts with (its SETTINGS_INITIAL_WINDOW_SIZE). */
    private long clientStreamWindow = ServerStream.INITIAL_WINDOW;
    /** The client bytes being read, where the current step started, and where bytes passing on started. */
    private ByteBuffer reading;
    private int stepStart;
    private int passingFrom = -1;

    private Http2Gate(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner) {
        this.flow = flow;
        this.peers = peers;
        this.check = check;
        this.inner = inner;
        this.server = new ServerStream(inner::onServerData, peers::sendToClient, tableLimit);
    }

    /** {@code inner} itself when there is no policy, else a gate in front of it, refusing through {@code peers}. */
    public static FlowHandler before(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner) {
        return check.decidesNames() ? new Http2Gate(flow, peers, check, inner) : inner;
    }

    /**
     * A gate for a connection found to be h2c (prior knowledge) once its first bytes came, which the server
     * had already started answering with {@code serverSoFar} (its SETTINGS), passed on already.
     */
    public static FlowHandler after(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner,
            ByteBuffer serverSoFar) {
        Http2Gate gate = new Http2Gate(flow, peers, check, inner);
        gate.server.skim(serverSoFar);
        return gate;
    }

    /**
     * A gate for a connection switched to h2c by {@code Upgrade}, from the end of the server's 101 on:
     * stream 1, the request that asked, was checked as HTTP/1 and is open; the server took the client's
     * {@code settings} (the payload of its HTTP2-Settings field) with the 101.
     */
    public static FlowHandler afterUpgrade(FlowId flow, FlowPeers peers, ServerNameCheck check, FlowHandler inner,
            ByteBuffer settings) {
        Http2Gate gate = new Http2Gate(flow, peers, check, inner);
        gate.tableLimit.agreed(settings);
        gate.lastOpened = 1;
        gate.lastPassedOn = 1;
        return gate;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        if (state == State.UNCHECKED) {
            inner.onClientData(data);
            return;
        }
        reading = data.duplicate();
        try {
            while (reading.hasRemaining() && (state != State.STOPPED && state != State.UNCHECKED)) {
                stepStart = reading.position();
                if (step()) {
                    passingFrom = passingFrom < 0 ? stepStart : passingFrom;
                } else {
                    passReadSoFar();
                }
            }
        } catch (Http2Exception e) {
            stop(e.getMessage());
        }
        if (state != State.STOPPED) {
            stepStart = reading.position();
            passReadSoFar();
            if (state == State.UNCHECKED && reading.hasRemaining()) {
                inner.onClientData(reading.slice());
            }
        }
        passingFrom = -1;
        reading = null;
    }

    @Override
    public void onServerData(ByteBuffer data) {
        if (state == State.STOPPED) {
            return;
        }
        if (state == State.UNCHECKED) {
            inner.onServerData(data);
        } else {
            server.pass(data);
        }
    }

    @Override
    public void onClientEnd() {
        inner.onClientEnd();
    }

    @Override
    public void onServerEnd() {
        inner.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        inner.onClose(reset);
    }

    /** Reads on from the reader's position; true when the bytes read go on to the server as they are. */
    private boolean step() throws Http2Exception {
        return switch (state) {
            case PREFACE -> readPreface();
            case FRAME_HEADER -> readFrameHeader();
            case PAYLOAD -> readPayload();
            case UNCHECKED, STOPPED -> throw new IllegalStateException("not reading");
        };
    }

    private boolean readPreface() {
        while (reading.hasRemaining() && prefaceMatched < FrameReader.CLIENT_PREFACE.length) {
            if (reading.get(reading.position()) != FrameReader.CLIENT_PREFACE[prefaceMatched]) {
                Log.verbose("%s: not the HTTP/2 client preface: passed on as decided by the address", flow);
                state = State.UNCHECKED;
                return true;
            }
            reading.get();
            prefaceMatched++;
        }
        if (prefaceMatched == FrameReader.CLIENT_PREFACE.length) {
            state = State.FRAME_HEADER;
        }
        return true;
    }

    private boolean readFrameHeader() throws Http2Exception {
        boolean whole = frameHeader.position() == 0 && reading.remaining() >= FrameHeader.SIZE;
        while (frameHeader.hasRemaining() && reading.hasRemaining()) {
            frameHeader.put(reading.get());
        }
        if (frameHeader.hasRemaining()) {
            return false; // held until whole; passed on from the copy if it is to pass
        }
        frameHeader.flip();
        frame = FrameHeader.parse(frameHeader);
        fate = fateOf(frame);
        boolean passing = fate == Fate.PASS;
        if (passing && !whole) {
            passOn(frameHeader.duplicate());
            passing = false;
        }
        frameHeader.clear();
        payloadLeft = frame.length();
        state = State.PAYLOAD;
        if (fate == Fate.HOLD) {
            held = ByteBuffer.allocate(frame.length());
        }
        if (payloadLeft == 0) {
            endFrame();
        }
        return passing;
    }

    private boolean readPayload() throws Http2Exception {
        int count = Math.min(payloadLeft, reading.remaining());
        if (fate == Fate.HOLD) {
            held.put(reading.slice(reading.position(), count));
        }
        reading.position(reading.position() + count);
        payloadLeft -= count;
        boolean passing = fate == Fate.PASS;
        if (payloadLeft == 0) {
            endFrame();
        }
        return passing;
    }

    private void endFrame() throws Http2Exception {
        state = State.FRAME_HEADER;
        if (fate != Fate.HOLD) {
            return;
        }
        ByteBuffer payload = held.flip();
        held = null;
        switch (frame.type()) {
            case FrameHeader.HEADERS -> {
                block = HeldBlock.start(frame, payload);
                endBlockIfDone();
            }
            case FrameHeader.CONTINUATION -> {
                block.add(frame, payload);
                endBlockIfDone();
            }
            case FrameHeader.SETTINGS -> {
                readSettings(payload);
                passOn(frameOf(frame.type(), frame.flags(), frame.streamId(), payload));
            }
            case FrameHeader.WINDOW_UPDATE -> {
                int onward = server.credited(payload.getInt(0) & 0x7fff_ffff);
                if (onward > 0) {
                    passOn(frameOf(FrameHeader.WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(0, onward)));
                }
            }
            default -> throw new IllegalStateException("held a " + frame);
        }
    }

    /** Decided by the frame's header alone: what becomes of its payload. */
    private Fate fateOf(FrameHeader header) throws Http2Exception {
        int stream = header.streamId();
        if (block != null && (header.type() != FrameHeader.CONTINUATION || stream != block.streamId())) {
            throw new Http2Exception("a header block was interrupted by a " + header);
        }
        switch (header.type()) {
            case FrameHeader.HEADERS, FrameHeader.CONTINUATION -> {
                if (header.type() == FrameHeader.CONTINUATION && block == null) {
                    throw new Http2Exception("a CONTINUATION frame on stream " + stream + " continues nothing");
                }
                if (stream == 0 || header.length() > FrameReader.MAX_HEADER_BLOCK_BYTES) {
                    throw new Http2Exception("a " + header + " the gate cannot hold");
                }
                return Fate.HOLD;
            }
            case FrameHeader.DATA -> {
                if (!isDropped(stream)) {
                    return Fate.PASS;
                }
                if (header.length() > 0) { // the server will not credit what it never sees
                    server.add(frameBytes(FrameHeader.WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(0, header.length())).toByteArray());
                }
                if (header.has(FrameHeader.FLAG_END_STREAM)) {
                    refused.remove(stream);
                }
                return Fate.DROP;
            }
            case FrameHeader.SETTINGS -> {
                if (header.has(FrameHeader.FLAG_ACK) || stream != 0) {
                    return Fate.PASS;
                }
                if (header.length() > MAX_HELD_CONTROL_BYTES) {
                    throw new Http2Exception("a " + header + " larger than the gate holds");
                }
                return Fate.HOLD;
            }
            case FrameHeader.WINDOW_UPDATE -> {
                if (stream == 0) {
                    return header.length() == 4 ? Fate.HOLD : Fate.PASS;
                }
                return isDropped(stream) ? Fate.DROP : Fate.PASS;
            }
            case FrameHeader.PRIORITY -> {
                return refused.contains(stream) ? Fate.DROP : Fate.PASS; // a priority for an idle stream is allowed
            }
            case FrameHeader.RST_STREAM -> {
                boolean dropped = isDropped(stream);
                refused.remove(stream);
                return dropped ? Fate.DROP : Fate.PASS;
            }
            case FrameHeader.PUSH_PROMISE -> throw new Http2Exception("the client sent a PUSH_PROMISE");
            default -> {
                return stream != 0 && isDropped(stream) ? Fate.DROP : Fate.PASS;
            }
        }
    }

    /** A refused stream, or one the server was never shown opening (it would take the frame for a protocol error). */
    private boolean isDropped(int stream) {
        return (stream % 2 == 1 && stream > lastPassedOn) || (!refused.isEmpty() && refused.contains(stream));
    }

    private void readSettings(ByteBuffer settings) throws Http2Exception {
        tableLimit.sent(settings);
        long[] windows = SettingsPayload.values(settings, SettingsPayload.INITIAL_WINDOW_SIZE);
        if (windows.length > 0) {
            clientStreamWindow = windows[windows.length - 1];
        }
    }

    private void endBlockIfDone() throws Http2Exception {
        if (!frame.has(FrameHeader.FLAG_END_HEADERS)) {
            return;
        }
        HeldBlock whole = block;
        block = null;
        List<Header> fields = decoder.decode(whole.block());
        int stream = whole.streamId();
        boolean opens = stream % 2 == 1 && stream > lastOpened;
        if (!opens && fields.stream().anyMatch(field -> field.name().startsWith(":"))) {
            throw new Http2Exception("a request head on stream " + stream + ", which it cannot open");
        }
        tableUpdateOwed |= decoder.resizedTable();
        if (opens) {
            lastOpened = stream;
            if (!admits(stream, fields, whole.endsStream())) {
                dropped();
                return;
            }
            lastPassedOn = stream;
        } else if (isDropped(stream)) {
            dropped(); // trailers of a refused request
            if (whole.endsStream()) {
                refused.remove(stream);
            }
            return;
        }
        if (!outOfStep) {
            tableUpdateOwed = false; // the block carries the client's own
            passOn(whole.frames());
            return;
        }
        passOn(whole.framesWith(tableUpdateOwed ? LiteralBlock.of(fields, 0) : LiteralBlock.of(fields)));
        tableUpdateOwed = false;
    }

    /** A header block was dropped: if it changed the table, the server's is behind from now on, and is emptied. */
    private void dropped() {
        if (decoder.changedTable() && !outOfStep) {
            outOfStep = true;
            tableUpdateOwed = true;
        }
    }

    /** Whether the request opening {@code stream} may go on; if not, it is refused (or the connection reset). */
    private boolean admits(int stream, List<Header> fields, boolean requestEnded) {
        Optional<HostPort> authority = HostPort.split(authorityOf(fields));
        Optional<String> name = authority.map(HostPort::host).filter(host -> !host.isEmpty());
        int port = authority.map(HostPort::port).flatMap(Http2Gate::portNumber).orElse(flow.server().getPort());
        Optional<String> rule = check.refusal(flow, name, port, ServerNameCheck.Source.HTTP2_AUTHORITY);
        if (rule.isEmpty()) {
            return true;
        }
        if (name.isEmpty()) {
            stop("a request that names no server, which the egress policy allows only by name");
            return false;
        }
        String server = HostPort.join(name.get(), port);
        Log.verbose("%s: stream %d asks for %s, which the egress policy denies: 403", flow, stream, server);
        refuse(stream, requestEnded, ServerNameCheck.forbiddenText(server, rule.get()));
        return false;
    }

    /** Answers the refused {@code stream} with a 403 whose body is {@code text}, and drops what else comes on it. */
    private void refuse(int stream, boolean requestEnded, String text) {
        if (refused.size() == MAX_REFUSED_STREAMS) {
            Iterator<Integer> oldest = refused.iterator();
            oldest.next();
            oldest.remove();
        }
        refused.add(stream);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        boolean withBody = body.length <= Math.min(clientStreamWindow, HeldBlock.MAX_FRAME_BYTES) && server.roomFor(body.length);
        List<Header> head = List.of(new Header(":status", "403"), new Header("content-type", "text/plain; charset=utf-8"),
                new Header("content-length", Integer.toString(withBody ? body.length : 0)));
        if (withBody) {
            server.gateSent(body.length);
        }
        server.add(answer -> { // written where it goes among the server's frames, which decides its table size updates
            FrameHeader.write(answer, FrameHeader.HEADERS, FrameHeader.FLAG_END_HEADERS | (withBody ? 0 : FrameHeader.FLAG_END_STREAM),
                    stream, LiteralBlock.of(head, tableLimit.updatesDue()));
            if (withBody) {
                FrameHeader.write(answer, FrameHeader.DATA, FrameHeader.FLAG_END_STREAM, stream, body);
            }
            if (!requestEnded) { // the rest of the request is not wanted (RFC 9113 section 8.1)
                FrameHeader.write(answer, FrameHeader.RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(NO_ERROR).array());
            }
        });
    }

    /** The request's {@code :authority}, else its Host field, without user information; empty when neither. */
    private static String authorityOf(List<Header> fields) {
        String host = "";
        for (Header field : fields) {
            if (field.name().equals(":authority")) {
                host = field.value();
                break;
            }
            if (host.isEmpty() && field.name().equalsIgnoreCase("host")) {
                host = field.value();
            }
        }
        return host.substring(host.lastIndexOf('@') + 1).trim();
    }

    private static Optional<Integer> portNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int port = Integer.parseInt(text);
        return port > 0 && port <= 0xffff ? Optional.of(port) : Optional.empty();
    }

    /** The client bytes read before this step that pass on as they are, if any. */
    private void passReadSoFar() {
        if (passingFrom >= 0 && stepStart > passingFrom) {
            inner.onClientData(reading.slice(passingFrom, stepStart - passingFrom));
        }
        passingFrom = -1;
    }

    /** Bytes for the server that are not the client's as read: after those read before them. */
    private void passOn(ByteBuffer bytes) {
        passReadSoFar();
        inner.onClientData(bytes.asReadOnlyBuffer());
    }

    private static ByteBuffer frameOf(int type, int flags, int stream, ByteBuffer payload) {
        return ByteBuffer.wrap(frameBytes(type, flags, stream, payload).toByteArray());
    }

    private static ByteArrayOutputStream frameBytes(int type, int flags, int stream, ByteBuffer payload) {
        byte[] bytes = new byte[payload.limit()];
        payload.get(0, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(FrameHeader.SIZE + bytes.length);
        FrameHeader.write(out, type, flags, stream, bytes);
        return out;
    }

    /** The frames before the one that stops the gate went on, as they would have in an earlier read. */
    private void stop(String why) {
        Log.verbose("%s: HTTP/2 that the egress policy cannot check (%s): resetting", flow, why);
        passReadSoFar();
        state = State.STOPPED;
        peers.reset();
    }
}
