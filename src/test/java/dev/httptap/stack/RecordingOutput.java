package dev.httptap.stack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every packet the stack sends, as the TUN device would. */
final class RecordingOutput implements PacketOutput {
    private final List<byte[]> packets = new ArrayList<>();

    @Override
    public void send(ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.get(packet.position(), copy);
        packets.add(copy);
    }

    /** Everything sent since the last call, parsed. */
    List<SentPacket> drain() {
        List<SentPacket> parsed = new ArrayList<>();
        for (byte[] packet : packets) {
            parsed.add(SentPacket.parse(packet));
        }
        packets.clear();
        return parsed;
    }
}
