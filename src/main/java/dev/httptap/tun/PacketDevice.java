package dev.httptap.tun;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A source and sink of whole IP packets: the TUN device, or an in-memory pair in tests. */
public interface PacketDevice extends Closeable {
    /**
     * Reads one packet into {@code dst} (from its position), waiting at most {@code timeoutMillis}.
     * Returns the packet's length, 0 if none arrived in time, -1 once the device is closed.
     */
    int read(ByteBuffer dst, int timeoutMillis) throws IOException;

    /** Writes one packet, from {@code packet.position()} to {@code packet.limit()}. */
    void write(ByteBuffer packet) throws IOException;

    /**
     * Makes the epoll instance {@code epollFd} report readable while a packet waits, so that a thread already
     * waiting there (a selector's) can take packets with {@code read(dst, 0)} and needs no reader thread.
     * False if this device cannot; {@link #stopSignalling} undoes it.
     */
    default boolean signalReadableThrough(int epollFd) {
        return false;
    }

    /** Undoes {@link #signalReadableThrough}, e.g. once reading failed and the descriptor would stay ready. */
    default void stopSignalling(int epollFd) {}

    /**
     * True if the packet the last {@link #read} returned has a TCP or UDP checksum that needs no check: the
     * kernel's own stack made it and left the checksum undone for the device, or checked it. False (check
     * it) unless the device knows.
     */
    default boolean lastReadChecksumTrusted() {
        return false;
    }

    /** True if written TCP segments may carry a partial checksum, which the device completes. */
    default boolean completesTcpChecksums() {
        return false;
    }
}
