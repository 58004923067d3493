package dev.httptap.http2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one direction's bytes as its receiver would, and writes each frame down as a line: header blocks
 * decoded by Jetty's HPACK decoder, whose dynamic table carries over from block to block as a real peer's
 * does (so a block that only decodes in step with dropped ones fails here), after nghttp2's checks of its
 * table size updates ({@link TableSizeRules}). A test's view of what a server or a client was sent.
 */
final class FrameTranscript {
    private final HeaderBlockDecoder decoder = new HeaderBlockDecoder();
    private final boolean fromClient;
    private final TableSizeRules rules;

    private FrameTranscript(boolean fromClient, TableSizeRules rules) {
        this.fromClient = fromClient;
        this.rules = rules;
    }

    /** What a server that sent {@code serverBytes} makes of {@code bytes}, which start with the client preface. */
    static List<String> ofClient(byte[] bytes, byte[] serverBytes) throws Http2Exception {
        return new FrameTranscript(true, TableSizeRules.of(serverBytes)).read(bytes);
    }

    /** What a client that sent {@code clientBytes} makes of {@code bytes}. */
    static List<String> ofServer(byte[] bytes, byte[] clientBytes) throws Http2Exception {
        return new FrameTranscript(false, TableSizeRules.of(clientBytes)).read(bytes);
    }

    private List<String> read(byte[] bytes) throws Http2Exception {
        List<String> lines = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (fromClient) {
            byte[] preface = new byte[FrameReader.CLIENT_PREFACE.length];
            in.get(preface);
            lines.add(new String(preface, StandardCharsets.US_ASCII).equals(
                    new String(FrameReader.CLIENT_PREFACE, StandardCharsets.US_ASCII)) ? "preface" : "bad preface");
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        String blockStart = null;
        while (in.remaining() >= FrameHeader.SIZE) {
            FrameHeader frame = FrameHeader.parse(in);
            in.position(in.position() + FrameHeader.SIZE);
            byte[] payload = new byte[frame.length()];
            in.get(payload);
            String end = frame.has(FrameHeader.FLAG_END_STREAM) ? " end" : "";
            switch (frame.type()) {
                case FrameHeader.HEADERS -> {
                    int skip = frame.has(FrameHeader.FLAG_PRIORITY) ? 5 : 0;
                    block.write(payload, skip, payload.length - skip);
                    blockStart = "HEADERS " + frame.streamId() + end;
                }
                case FrameHeader.PUSH_PROMISE -> {
                    block.write(payload, 4, payload.length - 4);
                    blockStart = "PUSH_PROMISE " + frame.streamId() + " promises " + ByteBuffer.wrap(payload).getInt();
                }
                case FrameHeader.CONTINUATION -> block.writeBytes(payload);
                case FrameHeader.DATA -> lines.add("DATA " + frame.streamId() + end + " "
                        + new String(payload, StandardCharsets.UTF_8));
                case FrameHeader.SETTINGS -> {
                    lines.add(frame.has(FrameHeader.FLAG_ACK) ? "SETTINGS ack" : "SETTINGS");
                    if (frame.has(FrameHeader.FLAG_ACK)) {
                        rules.acknowledged();
                        decoder.allowTableSize(rules.limit());
                    }
                }
                case FrameHeader.WINDOW_UPDATE -> lines.add("WINDOW_UPDATE " + frame.streamId() + " "
                        + ByteBuffer.wrap(payload).getInt());
                case FrameHeader.RST_STREAM -> lines.add("RST_STREAM " + frame.streamId() + " " + ByteBuffer.wrap(payload).getInt());
                default -> lines.add("type " + frame.type() + " " + frame.streamId());
            }
            if ((frame.type() == FrameHeader.HEADERS || frame.type() == FrameHeader.PUSH_PROMISE
                    || frame.type() == FrameHeader.CONTINUATION) && frame.has(FrameHeader.FLAG_END_HEADERS)) {
                String broken = rules.broken(block.toByteArray());
                lines.add(blockStart + " " + (broken != null ? "COMPRESSION_ERROR: " + broken : fieldsOf(block.toByteArray())));
                block.reset();
            }
        }
        if (in.hasRemaining()) {
            lines.add(in.remaining() + " bytes of a frame");
        }
        return lines;
    }

    private String fieldsOf(byte[] block) throws Http2Exception {
        try {
            return decoder.decode(ByteBuffer.wrap(block)).withPseudoHeaders().toString();
        } catch (HeaderBlockDecoder.MalformedStreamException e) {
            return "malformed: " + e.getMessage();
        }
    }
}
