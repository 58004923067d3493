package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.RecordingListener;
import dev.httptap.stack.FlowId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many streams on one connection: every answered one is reported, and what is tracked stays bounded. */
class Http2StreamLimitTest {
    private static final String HOST = "api.example.test";
    private static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 40000),
            new InetSocketAddress("192.0.2.10", 443));
    private static final int STREAMS = 5000;

    private final RecordingListener listener = new RecordingListener();
    private final Http2Connection connection = new Http2Connection(new ConnectionInfo(FLOW, FLOW.server(), "https"),
            listener, ExchangeClock.SYSTEM);
    private final Http2Frames client = new Http2Frames().preface().settings();
    private final Http2Frames server = new Http2Frames().settings();
    private int mostTracked;
    private int mostFollowed;

    private void fromClient(Http2Frames frames) {
        connection.onClientData(ByteBuffer.wrap(frames.take()).asReadOnlyBuffer());
        mostTracked = Math.max(mostTracked, connection.trackedStreams());
        mostFollowed = Math.max(mostFollowed, connection.followedStreams());
    }

    private void fromServer(Http2Frames frames) {
        connection.onServerData(ByteBuffer.wrap(frames.take()).asReadOnlyBuffer());
        mostTracked = Math.max(mostTracked, connection.trackedStreams());
        mostFollowed = Math.max(mostFollowed, connection.followedStreams());
    }

    private static int id(int stream) {
        return 2 * stream + 1;
    }

    private long finished(Outcome outcome) {
        return listener.finished.stream().filter(exchange -> exchange.outcome() == outcome).count();
    }

    /** The prefaces, then {@code count} complete GET requests, none answered yet. */
    private void openGets(int count) {
        fromClient(client);
        fromServer(server);
        for (int i = 0; i < count; i++) {
            fromClient(client.request(id(i), true, "GET", "https", HOST, "/item/" + i, "accept", "*/*"));
        }
    }

    @Test
    void aPromiseNamingAWaitingStreamDoesNotTakeItsPlace() {
        int waitingStream = Http2Connection.MAX_OPEN_STREAMS; // the first beyond those followed in full
        openGets(waitingStream + 1);
        fromServer(server.pushPromise(id(0), id(waitingStream), HOST, "/forged"));
        fromServer(server.response(id(waitingStream), false, 200).data(id(waitingStream), true, "ok"));
        assertEquals(1, listener.finished.size());
        assertEquals("https://" + HOST + "/item/" + waitingStream, listener.finished.get(0).request().target());
    }

    @Test
    void fiveThousandStreamsOneAfterAnotherAreAllReported() {
        fromClient(client);
        fromServer(server);
        for (int i = 0; i < STREAMS; i++) {
            fromClient(client.request(id(i), true, "GET", "https", HOST, "/item/" + i));
            fromServer(server.response(id(i), false, 200).data(id(i), true, "ok"));
        }
        connection.onClose(false);
        assertEquals(STREAMS, finished(Outcome.COMPLETE));
        assertEquals(1, mostTracked);
    }

    @Test
    void fiveThousandStreamsOpenAtOnceAreAllReportedWhenAnswered() {
        openGets(STREAMS);
        for (int i = 0; i < STREAMS; i++) {
            fromServer(server.response(id(i), false, 200).data(id(i), true, "ok"));
        }
        connection.onClose(false);
        assertEquals(Http2Connection.MAX_OPEN_STREAMS, mostFollowed);
        assertEquals(STREAMS, mostTracked);
        assertEquals(STREAMS, finished(Outcome.COMPLETE));
        assertEquals("https://" + HOST + "/item/4999", listener.finished.get(STREAMS - 1).url());
        assertEquals(Headers.EMPTY, listener.finished.get(STREAMS - 1).request().headers(), "a lean stream");
        assertEquals(5, listener.finished.get(0).request().headers().asList().size());
        assertEquals(List.of("connection not followed: " + WaitingStreams.NOTE),
                listener.events.stream().filter(event -> event.startsWith("connection")).toList());
    }

    @Test
    void streamsAnsweredInAnyOrderWhileTheFirstAreStillOpenAreAllReported() {
        openGets(STREAMS);
        for (int i = STREAMS - 1; i >= 0; i--) { // the last opened first: the first 1,024 stay open to the end
            fromServer(server.response(id(i), false, 200, "x-big", "y".repeat(100)));
        }
        for (int i = 0; i < STREAMS; i++) {
            fromServer(server.data(id(i), true, "ok"));
        }
        connection.onClose(false);
        assertEquals(Http2Connection.MAX_OPEN_STREAMS, mostFollowed);
        assertEquals(STREAMS, finished(Outcome.COMPLETE));
        assertEquals(List.of(), listener.finished.get(STREAMS - 1).response().orElseThrow().headers().asList(),
                "a lean stream keeps no fields");
        assertEquals(2, listener.finished.get(0).response().orElseThrow().headers().asList().size());
    }

    @Test
    void aRapidResetFloodKeepsNothingAndShowsTheFirstResetsThenCountsTheRest() {
        fromClient(client);
        fromServer(server);
        for (int i = 0; i < STREAMS; i++) {
            fromClient(client.request(id(i), false, "GET", "https", HOST, "/r/" + i).rstStream(id(i), 8));
        }
        assertEquals(0, mostTracked, "each stream is reset in the read that opens it");
        assertEquals(0, connection.trackedStreams());
        assertEquals(Http2Connection.SHOWN_CLIENT_RESETS, finished(Outcome.RESET));
        assertEquals(STREAMS - Http2Connection.SHOWN_CLIENT_RESETS,
                listener.events.stream().filter(event -> event.startsWith("dropped")).count());
        connection.onClose(false);
        assertEquals(List.of("connection not followed: the client reset more than 100 streams before their response "
                        + "(an HTTP/2 rapid reset?): the rest of those are counted, not shown",
                "connection not followed: 4900 more streams reset by the client before their response were not shown"),
                listener.events.stream().filter(event -> event.startsWith("connection")).toList());
    }

    @Test
    void streamsResetByTheClientAfterTheirResponseBeganAreAllShown() {
        fromClient(client);
        fromServer(server);
        for (int i = 0; i < 2 * Http2Connection.SHOWN_CLIENT_RESETS; i++) {
            fromClient(client.request(id(i), true, "GET", "https", HOST, "/video/" + i));
            fromServer(server.response(id(i), false, 200).data(id(i), false, "part"));
            fromClient(client.rstStream(id(i), 8));
        }
        assertEquals(2 * Http2Connection.SHOWN_CLIENT_RESETS, finished(Outcome.RESET));
    }

    @Test
    void aRapidResetFloodBehindStreamsHeldOpenIsReportedLeanAndKeepsNothing() {
        fromClient(client);
        fromServer(server);
        int held = Http2Connection.MAX_OPEN_STREAMS;
        for (int i = 0; i < held; i++) {
            fromClient(client.request(id(i), false, "POST", "https", HOST, "/held/" + i));
        }
        for (int i = held; i < held + STREAMS; i++) {
            fromClient(client.request(id(i), false, "GET", "https", HOST, "/r/" + i).rstStream(id(i), 8));
        }
        assertEquals(held, mostTracked);
        assertEquals(held, connection.trackedStreams());
        assertEquals(Http2Connection.SHOWN_CLIENT_RESETS, finished(Outcome.RESET));
        assertEquals(Headers.EMPTY, listener.finished.get(0).request().headers(), "a lean stream");
    }

    @Test
    void aFloodOfStreamsNeverClosedStaysWithinTheBoundsAndSaysSo() {
        int flood = Http2Connection.MAX_OPEN_STREAMS + WaitingStreams.MAX_STREAMS + 100;
        fromClient(client);
        for (int i = 0; i < flood; i++) {
            fromClient(client.request(id(i), false, "POST", "https", HOST, "/never/" + i));
        }
        assertEquals(Http2Connection.MAX_OPEN_STREAMS, mostFollowed);
        assertEquals(Http2Connection.MAX_OPEN_STREAMS + WaitingStreams.MAX_STREAMS, mostTracked);
        connection.onClose(true);
        assertEquals(flood - 100, finished(Outcome.RESET));
        assertEquals(0, connection.trackedStreams());
        assertEquals(List.of("connection not followed: " + WaitingStreams.NOTE,
                "connection not followed: more than 17408 streams open at once: "
                        + "the streams opened beyond that are not reported",
                "connection not followed: 100 streams were not reported (more than 17408 open at once)"),
                listener.events.stream().filter(event -> event.startsWith("connection")).toList());
    }
}
