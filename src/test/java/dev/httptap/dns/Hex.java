package dev.httptap.dns;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Golden bytes written as hex with spaces for readability. */
final class Hex {
    private Hex() {}

    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return HexFormat.of().formatHex(copy);
    }
}
