package dev.httptap.stack;

import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import java.nio.ByteBuffer;

/**
 * Bulk transfer through the stack alone, both directions, with 64 KiB segments as the kernel sends them on
 * the large-MTU TUN. Not a test (no timing assertions): run it with
 * {@code java -cp target/classes:target/test-classes dev.httptap.stack.StackThroughputBenchmark}.
 */
public final class StackThroughputBenchmark {
    private static final int SEGMENT = 65468;
    private static final long TOTAL = 2L << 30;

    public static void main(String[] args) {
        for (int round = 0; round < 3; round++) {
            childToForwarder();
            forwarderToChild();
        }
    }

    /** The child sends; the forwarder reads everything after each segment. */
    private static void childToForwarder() {
        TcpHarness child = TcpHarness.established(StackConfig.defaults());
        byte[] payload = new byte[SEGMENT];
        ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
        long receiveNanos = 0;
        long read = 0;
        long start = System.nanoTime();
        long sent = 0;
        for (; sent < TOTAL; sent += SEGMENT) {
            ByteBuffer packet = TcpHarness.packet(TcpFlags.ACK, child.childSeq, child.childAck, 8192,
                    TcpOptions.NONE, payload);
            child.childSeq += SEGMENT;
            long before = System.nanoTime();
            child.stack.receive(packet);
            sink.clear();
            read += child.connection.read(sink);
            receiveNanos += System.nanoTime() - before;
            child.output.drain();
        }
        report("child -> forwarder", System.nanoTime() - start, receiveNanos);
        if (read != sent) {
            throw new AssertionError("the forwarder read " + read + " bytes, fewer than were sent");
        }
    }

    /** The forwarder writes; the child acknowledges every two segments. */
    private static void forwarderToChild() {
        TcpHarness child = TcpHarness.established(StackConfig.defaults());
        ByteBuffer chunk = ByteBuffer.allocateDirect(SEGMENT);
        int ourNext = child.childAck;
        long stackNanos = 0;
        long start = System.nanoTime();
        for (long written = 0; written < TOTAL; ) {
            long before = System.nanoTime();
            chunk.clear();
            written += child.connection.write(chunk);
            stackNanos += System.nanoTime() - before;
            int acked = ourNext;
            for (SentPacket segment : child.output.drain()) {
                acked = segment.seq() + segment.length();
            }
            if (acked == ourNext) {
                throw new AssertionError("the stack stopped sending at " + written + " bytes");
            }
            ourNext = acked;
            ByteBuffer ack = TcpHarness.packet(TcpFlags.ACK, child.childSeq, ourNext, 8192, TcpOptions.NONE,
                    new byte[0]);
            before = System.nanoTime();
            child.stack.receive(ack);
            stackNanos += System.nanoTime() - before;
        }
        report("forwarder -> child", System.nanoTime() - start, stackNanos);
    }

    private static void report(String direction, long totalNanos, long stackNanos) {
        System.out.printf("%-20s %6.0f MB/s in the stack (%6.0f MB/s with the test's packet building)%n", direction,
                TOTAL / (stackNanos / 1e9) / 1e6, TOTAL / (totalNanos / 1e9) / 1e6);
    }
}
