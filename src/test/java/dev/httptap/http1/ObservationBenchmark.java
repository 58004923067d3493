package dev.httptap.http1;

import dev.httptap.body.DecoderQueue;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeFilter;
import dev.httptap.event.ExchangeListeners;
import dev.httptap.event.FilteredListener;
import dev.httptap.sink.DecodedLengths;
import dev.httptap.sink.PrintOptions;
import dev.httptap.sink.RoundFlush;
import dev.httptap.sink.TerminalPrinter;
import dev.httptap.stack.FlowId;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The relay thread's share of one small keep-alive exchange that is not the network: HTTP/1 observation and
 * the two printed lines, through the listeners a default run has (decoded lengths, the filter, the terminal
 * printer with live lines), for the request and answer `wrk` and nginx exchange in `scripts/bench`'s
 * keep-alive measurement. Not a test (no timing assertions): run it with
 * {@code mvn -q dependency:build-classpath -Dmdep.outputFile=target/classpath}, then
 * {@code java -XX:+UseSerialGC -cp target/classes:target/test-classes:$(cat target/classpath) dev.httptap.http1.ObservationBenchmark}
 * (add the JIT options of {@code ./httptap}'s {@code jvm=} line for a first figure like a run's).
 */
public final class ObservationBenchmark {
    private static final int EXCHANGES = 2_000_000;
    /** CPU time as well as wall time: on a shared machine the wall time also counts other processes' turns. */
    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();
    private static final byte[] REQUEST = "GET /small64 HTTP/1.1\r\nHost: 169.254.77.65:18080\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 04 Dec 2026 15:00:00 GMT\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Length: 64\r\nLast-Modified: Fri, 04 Dec 2026 10:40:00 GMT\r\n"
            + "Connection: keep-alive\r\nETag: \"6931e3c0-40\"\r\nAccept-Ranges: bytes\r\n\r\n" + "x".repeat(64))
            .getBytes(StandardCharsets.ISO_8859_1);

    /** The first exchanges of a fresh JVM, as in a short run: interpreted, then compiled while they run. */
    private static final int COLD_EXCHANGES = 100_000;
    /** The whole process's CPU, the compiler threads' included: in a cold JVM they cost as much as the work. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) {
        long processBefore = PROCESS.getProcessCpuTime();
        exchanges(COLD_EXCHANGES);
        System.out.printf("first %d exchanges of this JVM: %.0f ns of process CPU each (compilers included)%n",
                COLD_EXCHANGES, (PROCESS.getProcessCpuTime() - processBefore) / (double) COLD_EXCHANGES);
        int rounds = args.length > 0 && args[0].equals("cold") ? 0 : 5;
        for (int round = 0; round < rounds; round++) {
            long cpuBefore = THREAD.getCurrentThreadCpuTime();
            double wall = exchanges(EXCHANGES);
            double cpu = (THREAD.getCurrentThreadCpuTime() - cpuBefore) / (double) EXCHANGES;
            System.out.printf("%.0f ns per exchange (%.0f ns of CPU)%n", wall, cpu);
        }
    }

    /** Wall time per exchange of {@code count} exchanges on a new connection. */
    private static double exchanges(int count) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        TerminalPrinter printer = new TerminalPrinter(sink, PrintOptions.linesOnly(false), new RoundFlush(sink), true);
        DecodedLengths listener = new DecodedLengths(ExchangeListeners.of(new FilteredListener(ExchangeFilter.ALL, printer)),
                new DecoderQueue(DecoderQueue.defaultBudget(), Runnable::run));
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress("169.254.77.65", 18080));
        Http1Connection connection = new Http1Connection(new ConnectionInfo(flow, flow.server(), "http"), listener,
                ExchangeClock.SYSTEM);
        ByteBuffer request = ByteBuffer.allocateDirect(REQUEST.length).put(REQUEST).flip();
        ByteBuffer response = ByteBuffer.allocateDirect(RESPONSE.length).put(RESPONSE).flip();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            connection.onClientData(request.duplicate());
            connection.onServerData(response.duplicate());
        }
        return (System.nanoTime() - start) / (double) count;
    }
}
