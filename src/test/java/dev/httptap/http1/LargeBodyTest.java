package dev.httptap.http1;

import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Outcome;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1 GiB body, fed in 64 KiB pieces of one reused buffer, is counted exactly, and the parser allocates
 * only a small constant amount per piece: bodies are streamed, never held or copied.
 */
class LargeBodyTest {
    private static final long ONE_GIB = 1L << 30;
    private static final int PIECE = 64 * 1024;
    /** About 16k pieces; a few small objects each (slices, views) is far below this; one copy is 1 GiB. */
    private static final long MAX_ALLOCATED_BYTES = 32L << 20;

    @Test
    void contentLengthBodyOfOneGibibyte() {
        CountingListener listener = new CountingListener();
        Http1Connection connection = connectionWith(listener);
        connection.onServerData(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + ONE_GIB + "\r\n\r\n"));

        ByteBuffer piece = ByteBuffer.allocate(PIECE);
        long allocated = allocatedBytesWhile(() -> {
            for (long sent = 0; sent < ONE_GIB; sent += PIECE) {
                piece.clear();
                connection.onServerData(piece.asReadOnlyBuffer());
            }
        });

        assertEquals(ONE_GIB, listener.bodyBytes);
        assertEquals(ONE_GIB, listener.finished.responseBodyBytes());
        assertEquals(Outcome.COMPLETE, listener.finished.outcome());
        assertTrue(allocated < MAX_ALLOCATED_BYTES, "allocated " + allocated + " bytes");
    }

    @Test
    void chunkedBodyOfOneGibibyte() {
        CountingListener listener = new CountingListener();
        Http1Connection connection = connectionWith(listener);
        connection.onServerData(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));

        // Each piece: one chunk header, chunk data filling the rest, and the chunk's CRLF.
        byte[] header = "fff0\r\n".getBytes(StandardCharsets.US_ASCII);
        int dataPerPiece = 0xfff0;
        ByteBuffer piece = ByteBuffer.allocate(header.length + dataPerPiece + 2);
        piece.put(header).position(piece.capacity() - 2);
        piece.put((byte) '\r').put((byte) '\n');
        long pieces = ONE_GIB / dataPerPiece;
        long allocated = allocatedBytesWhile(() -> {
            for (long i = 0; i < pieces; i++) {
                piece.clear();
                connection.onServerData(piece.asReadOnlyBuffer());
            }
        });
        connection.onServerData(ascii("0\r\n\r\n"));

        assertEquals(pieces * dataPerPiece, listener.bodyBytes);
        assertEquals(pieces * dataPerPiece, listener.finished.responseBodyBytes());
        assertEquals(Outcome.COMPLETE, listener.finished.outcome());
        assertTrue(allocated < MAX_ALLOCATED_BYTES, "allocated " + allocated + " bytes");
    }

    private static Http1Connection connectionWith(ExchangeListener listener) {
        Http1Connection connection = new Http1Connection(Http1ConnectionTest.connectionInfo(), listener,
                new Http1ConnectionTest.FakeClock());
        connection.onClientData(ascii("GET /big HTTP/1.1\r\nHost: h\r\n\r\n"));
        return connection;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    private static long allocatedBytesWhile(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }

    private static final class CountingListener implements ExchangeListener {
        long bodyBytes;
        Exchange finished;

        @Override
        public void onResponseBody(Exchange exchange, ByteBuffer data) {
            bodyBytes += data.remaining();
        }

        @Override
        public void onExchangeFinished(Exchange exchange) {
            finished = exchange;
        }
    }
}
