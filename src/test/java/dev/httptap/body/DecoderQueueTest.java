package dev.httptap.body;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The worker is a queue of tasks this test runs by hand: no thread, so every interleaving is chosen here. */
class DecoderQueueTest {
    private static final byte[] TEXT = "a line of text that gzip shrinks well\n".repeat(2_000).getBytes(StandardCharsets.UTF_8);

    private final Queue<Runnable> workerTasks = new ArrayDeque<>();
    private final List<String> measured = new ArrayList<>();

    @Test
    void theBodyIsDecodedByTheWorkerFromCopiesOfItsChunks() throws IOException {
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        DecoderQueue queue = new DecoderQueue(1 << 20, workerTasks::add);
        DecoderQueue.Body body = queue.add(meter("gzip"), done -> measured.add("body: " + describe(done)));
        byte[] chunk = new byte[100];
        for (int at = 0; at < gzip.length; at += chunk.length) {
            int length = Math.min(chunk.length, gzip.length - at);
            System.arraycopy(gzip, at, chunk, 0, length);
            body.append(ByteBuffer.wrap(chunk, 0, length).asReadOnlyBuffer());
        }
        Arrays.fill(chunk, (byte) 0); // the caller's buffer is its own again once append returns

        assertEquals(Optional.empty(), body.end(true));
        assertEquals(List.of(), measured, "nothing is decoded on the receiving thread");
        assertEquals(1, workerTasks.size(), "one task for all the work");
        runWorker();
        assertEquals(List.of("body: " + TEXT.length + " bytes"), measured);
    }

    @Test
    void aBodyWhoseChunksExceedTheBudgetIsNotDecodedAndSaysWhy() throws IOException {
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        assertTrue(gzip.length > 100, "the body must not fit the budget");
        DecoderQueue queue = new DecoderQueue(gzip.length / 2, workerTasks::add);
        DecoderQueue.Body big = queue.add(meter("gzip"), done -> measured.add("big: " + describe(done)));
        appendInChunks(big, gzip, 10);
        big.end(true);
        DecoderQueue.Body next = queue.add(meter("gzip"), done -> measured.add("next: " + describe(done)));
        appendInChunks(next, BodyDecoderTest.gzip("fits".getBytes(StandardCharsets.UTF_8)), 100);
        next.end(true);
        runWorker();

        assertEquals(List.of("big: not decoded: the decoder fell behind", "next: 4 bytes"), measured,
                "the dropped chunks leave room for the next body");
    }

    @Test
    void bodiesTakeTurnsSoAShortOneIsNotHeldBehindALongOne() throws IOException {
        DecoderQueue queue = new DecoderQueue(1 << 20, workerTasks::add);
        DecoderQueue.Body longBody = queue.add(meter("gzip"), done -> measured.add("long: " + describe(done)));
        DecoderQueue.Body shortBody = queue.add(meter("gzip"), done -> measured.add("short: " + describe(done)));
        appendInChunks(longBody, BodyDecoderTest.gzip(TEXT), 100);
        longBody.end(true);
        shortBody.append(ByteBuffer.wrap(BodyDecoderTest.gzip(new byte[10])));
        shortBody.end(true);
        runWorker();

        assertEquals(List.of("short: 10 bytes", "long: " + TEXT.length + " bytes"), measured);
    }

    @Test
    void aBodyWithNothingForTheWorkerIsMeasuredAtOnce() {
        DecoderQueue queue = new DecoderQueue(1 << 20, workerTasks::add);
        DecoderQueue.Body unknownCoding = queue.add(meter("compress"), done -> measured.add("compress"));
        unknownCoding.append(ByteBuffer.wrap(TEXT));
        DecoderQueue.Body noBytes = queue.add(meter("br"), done -> measured.add("HEAD"));

        assertEquals("not decodable as compress", unknownCoding.end(true).orElseThrow().problem());
        assertEquals(0, noBytes.end(true).orElseThrow().decodedBytes());
        assertEquals(List.of(), measured, "measured on the caller's thread, not handed on");
        assertTrue(workerTasks.isEmpty(), "no work for the worker");
    }

    @Test
    void theEndOfTheRunAbandonsWhatTheWorkerDidNotReach() throws IOException, InterruptedException {
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        DecoderQueue queue = new DecoderQueue(1 << 20, workerTasks::add);
        DecoderQueue.Body ended = queue.add(meter("gzip"), done -> measured.add("ended: " + describe(done)));
        appendInChunks(ended, gzip, 100);
        ended.end(true);
        DecoderQueue.Body running = queue.add(meter("gzip"), done -> measured.add("running: " + describe(done)));
        appendInChunks(running, gzip, 100);

        queue.finish(Duration.ZERO); // the worker never ran
        assertEquals(List.of("ended: not decoded: httptap was ending"), measured);
        appendInChunks(running, gzip, 100);
        running.end(true);
        runWorker();
        assertEquals(List.of("ended: not decoded: httptap was ending", "running: not decoded: httptap was ending"), measured);
        DecoderQueue.Body late = queue.add(meter("gzip"), done -> measured.add("late"));
        late.append(ByteBuffer.wrap(gzip));
        assertEquals("not decoded: httptap was ending", late.end(true).orElseThrow().problem());
    }

    @Test
    void aCancelledBodyIsNeverMeasured() throws IOException {
        DecoderQueue queue = new DecoderQueue(1 << 20, workerTasks::add);
        DecoderQueue.Body body = queue.add(meter("gzip"), done -> measured.add("cancelled"));
        appendInChunks(body, BodyDecoderTest.gzip(TEXT), 100);
        body.cancel();
        runWorker();
        assertEquals(List.of(), measured);
        DecoderQueue.Body after = queue.add(meter("gzip"), done -> measured.add("after: " + describe(done)));
        after.append(ByteBuffer.wrap(BodyDecoderTest.gzip(TEXT)));
        after.end(true);
        assertEquals(1, workerTasks.size(), "a new task once the last one found nothing left");
        runWorker();
        assertEquals(List.of("after: " + TEXT.length + " bytes"), measured);
    }

    @Test
    void aMeterLeftWithoutItsRestHasNoLength() throws IOException {
        LengthMeter meter = meter("gzip");
        byte[] gzip = BodyDecoderTest.gzip(TEXT);
        meter.append(ByteBuffer.wrap(gzip, 0, gzip.length / 2));
        meter.abandon("the decoder fell behind");
        assertEquals(-1, meter.decodedBytes());
        assertEquals("not decoded: the decoder fell behind", meter.problem());
        LengthMeter broken = meter("gzip");
        broken.append(ByteBuffer.wrap(TEXT));
        broken.abandon("the decoder fell behind");
        assertEquals("not decodable as gzip", broken.problem(), "a failure already known is the better reason");
        assertNull(meter("gzip").problem());
    }

    private void runWorker() {
        for (Runnable task; (task = workerTasks.poll()) != null; ) {
            task.run();
        }
    }

    private static LengthMeter meter(String coding) {
        return BodyDecoder.meter(List.of(coding)).orElseThrow();
    }

    private static void appendInChunks(DecoderQueue.Body body, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            body.append(ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)));
        }
    }

    private static String describe(LengthMeter meter) {
        assertTrue(meter.problem() == null || meter.decodedBytes() == -1, "a length or a problem");
        return meter.problem() == null ? meter.decodedBytes() + " bytes" : meter.problem();
    }

}
