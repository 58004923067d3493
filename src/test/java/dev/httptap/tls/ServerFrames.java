package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Lists the HTTP/2 frames in bytes a server sent as short lines ("HEADERS 1", "GOAWAY 0 PROTOCOL_ERROR"). */
final class ServerFrames {
    private static final String[] TYPES = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE",
        "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"};
    private static final String[] ERRORS = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR"};

    private ServerFrames() {}

    static List<String> list(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<String> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | (in.get() & 0xff);
            int type = in.get() & 0xff;
            int flags = in.get() & 0xff;
            int stream = in.getInt();
            byte[] payload = new byte[length];
            in.get(payload);
            frames.add(describe(type, flags, stream, ByteBuffer.wrap(payload)));
        }
        return frames;
    }

    private static String describe(int type, int flags, int stream, ByteBuffer payload) {
        String name = TYPES[type];
        boolean flag1 = (flags & 0x1) != 0; // ACK on SETTINGS and PING, END_STREAM on DATA and HEADERS
        return switch (name) {
            case "SETTINGS" -> name + (flag1 ? " ACK" : "");
            case "PING" -> name + (flag1 ? " ACK " : " ") + StandardCharsets.ISO_8859_1.decode(payload);
            case "GOAWAY" -> name + " " + payload.getInt() + " " + ERRORS[payload.getInt()];
            case "RST_STREAM" -> name + " " + stream + " " + ERRORS[payload.getInt()];
            default -> name + " " + stream + (flag1 ? " END_STREAM" : "");
        };
    }
}
