package dev.httptap.stack;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** A snapshot of the stack's counters. {@code drops} lists only reasons that occurred. */
public record StackStats(long packetsIn, long packetsOut, long bytesIn, long bytesOut,
                         int openConnections, Map<DropReason, Long> drops) {
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The live counters behind the snapshot; primitive fields so counting never allocates. */
    static final class Counters {
        long packetsIn;
        long packetsOut;
        long bytesIn;
        long bytesOut;
        private final long[] drops = new long[DropReason.values().length];

        void drop(DropReason reason) {
            drops[reason.ordinal()]++;
        }

        StackStats snapshot(int openConnections) {
            Map<DropReason, Long> byReason = new EnumMap<>(DropReason.class);
            for (DropReason reason : DropReason.values()) {
                if (drops[reason.ordinal()] != 0) {
                    byReason.put(reason, drops[reason.ordinal()]);
                }
            }
            return new StackStats(packetsIn, packetsOut, bytesIn, bytesOut, openConnections,
                    Collections.unmodifiableMap(byReason));
        }
    }
}
