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
 * {@code java -XX:+UseSerialGC -cp target/classes:target/test-classes:$(cat target/classpath) dev.httptap.http1.ObservationBenchmark}.
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

    public static void main(String[] args) {
        for (int round = 0; round < 5; round++) {
            long cpuBefore = THREAD.getCurrentThreadCpuTime();
            double wall = nanosPerExchange();
            double cpu = (THREAD.getCurrentThreadCpuTime() - cpuBefore) / (double) EXCHANGES;
            System.out.printf("%.0f ns per exchange (%.0f ns of CPU)%n", wall, cpu);
        }
    }

    private static double nanosPerExchange() {
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
        for (int i = 0; i < EXCHANGES; i++) {
            connection.onClientData(request.duplicate());
            connection.onServerData(response.duplicate());
        }
        return (System.nanoTime() - start) / (double) EXCHANGES;
    }
}
