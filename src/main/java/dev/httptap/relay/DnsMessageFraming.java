package dev.httptap.relay;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One direction of DNS over TCP (RFC 1035 4.2.2, RFC 7766): every message comes after its length as two
 * bytes. Gathers each whole message however the stream is split and hands it on; memory is bounded by the
 * largest message the format allows (64 KiB), held only while it arrives.
 */
final class DnsMessageFraming {
    private final Consumer<ByteBuffer> onMessage;
    private final ByteBuffer length = ByteBuffer.allocate(2);
    /** The message being gathered; null while its length is being read. */
    private ByteBuffer message;

    /** {@code onMessage} gets a read-only view of one whole message, valid only during the call. */
    DnsMessageFraming(Consumer<ByteBuffer> onMessage) {
        this.onMessage = onMessage;
    }

    /** Reads {@code data} from its position to its limit, leaving the caller's buffer unchanged. */
    void read(ByteBuffer data) {
        ByteBuffer input = data.duplicate();
        while (input.hasRemaining()) {
            if (message == null) {
                moveAvailable(input, length);
                if (length.hasRemaining()) {
                    return;
                }
                message = ByteBuffer.allocate(length.getShort(0) & 0xffff);
                length.clear();
            }
            moveAvailable(input, message);
            if (!message.hasRemaining()) {
                onMessage.accept(message.flip().asReadOnlyBuffer());
                message = null;
            }
        }
    }

    private static void moveAvailable(ByteBuffer from, ByteBuffer to) {
        int count = Math.min(from.remaining(), to.remaining());
        to.put(from.slice(from.position(), count));
        from.position(from.position() + count);
    }
}
