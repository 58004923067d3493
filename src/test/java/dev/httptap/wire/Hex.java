package dev.httptap.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Golden bytes written as hex in tests. */
public final class Hex {
    private Hex() {}

    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    public static String of(ByteBuffer buffer, int from, int to) {
        byte[] bytes = new byte[to - from];
        buffer.get(from, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
