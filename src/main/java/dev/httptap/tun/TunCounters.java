package dev.httptap.tun;

/** What a {@link TunDevice} has done so far; dropped writes are packets lost to transient errors. */
public record TunCounters(long packetsRead, long packetsWritten, long droppedWrites, long readErrors) {}
