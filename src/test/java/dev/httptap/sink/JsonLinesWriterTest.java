package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.log.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesWriterTest {
    @Test
    void aFileThatTakesNoBytesIsReportedOnceAndNoMoreIsWritten() throws Exception {
        JsonLinesWriter writer = new JsonLinesWriter(new FullDisk(), true, ExchangeClock.SYSTEM);

        List<String> log = LogCapture.linesDuring(() -> writeTwoExchangesAndClose(writer));

        assertEquals(List.of("httptap: cannot write the JSON lines, no more will be written: "
                + FullDisk.MESSAGE), log);
    }

    @Test
    void aClosedStandardOutputIsReportedOnceThoughPrintStreamHidesTheError() throws Exception {
        JsonLinesWriter writer = new JsonLinesWriter(new PrintStream(new FullDisk()), false, ExchangeClock.SYSTEM);

        List<String> log = LogCapture.linesDuring(() -> writeTwoExchangesAndClose(writer));

        assertEquals(List.of("httptap: cannot write the JSON lines, no more will be written: "
                + "standard output is closed or failing"), log);
    }

    private static void writeTwoExchangesAndClose(JsonLinesWriter writer) {
        for (int port = 40000; port < 40002; port++) {
            Exchange exchange = Exchanges.started(Exchanges.connection(port), "GET", "/", Headers.of("Host", "h:1"));
            Exchanges.finish(exchange, Outcome.NO_RESPONSE);
            writer.onExchangeFinished(exchange);
        }
        writer.close();
    }

    @Test
    void eachFinishedExchangeIsOneParsableLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesWriter writer = new JsonLinesWriter(out, true, ExchangeClock.SYSTEM);
        Exchange ok = Exchanges.started(Exchanges.connection(40000), "GET", "/a?x=1", Headers.of("Host", "h:1", "Accept", "*/*"));
        Exchanges.respond(ok, 200, "OK", Headers.of("Content-Length", "5"));
        ok.addResponseBodyBytes(5);
        Exchanges.finish(ok, Outcome.COMPLETE);
        Exchange cut = Exchanges.started(Exchanges.connection(40001), "POST", "/b", Headers.of("Host", "h:1"));
        Exchanges.finish(cut, Outcome.NO_RESPONSE);
        writer.onExchangeFinished(ok);
        writer.onExchangeFinished(cut);
        writer.close();

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals("", lines[2]);
        Map<String, String> first = scalars(lines[0]);
        assertEquals("http", first.get("type"));
        assertEquals("GET", first.get("method"));
        assertEquals("http://h:1/a?x=1", first.get("url"));
        assertEquals("200", first.get("status"));
        assertEquals("5", first.get("responseBodySize"));
        assertEquals("20", first.get("waitMillis"));
        assertEquals("15", first.get("receiveMillis"));
        assertEquals("2026-01-02T03:04:05.678Z", first.get("startedDateTime"));
        assertEquals("Accept", first.get("requestHeaders[1].name"));
        Map<String, String> second = scalars(lines[1]);
        assertEquals("null", second.get("status"));
        assertEquals("NO_RESPONSE", second.get("outcome"));
    }

    @Test
    void notesAndTheReasonAnExchangeWasNotFollowedAreWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesWriter writer = new JsonLinesWriter(out, true, ExchangeClock.SYSTEM);
        Exchange lost = Exchanges.started(Exchanges.connection(40000), "GET", "/", Headers.of("Host", "h:1"));
        lost.addNote("request 44 header fields after the first 256 are not shown");
        lost.finishNotFollowed("response: not an HTTP/1 status line: \"SSH-2.0\"", 5);
        writer.onExchangeFinished(lost);
        writer.close();

        Map<String, String> line = scalars(out.toString(StandardCharsets.UTF_8).split("\n")[0]);
        assertEquals("UNPARSEABLE", line.get("outcome"));
        assertEquals("response: not an HTTP/1 status line: \"SSH-2.0\"", line.get("notFollowed"));
        assertEquals("request 44 header fields after the first 256 are not shown", line.get("notes[0]"));
    }

    /** Top-level scalars by name, header fields as requestHeaders[i].name, strings in arrays as notes[i]. */
    private static Map<String, String> scalars(String line) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY) {
                    for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                        if (parser.currentToken() != JsonToken.START_OBJECT) {
                            values.put(name + "[" + i + "]", parser.getText());
                            continue;
                        }
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String field = parser.currentName();
                            parser.nextToken();
                            values.put(name + "[" + i + "]." + field, parser.getText());
                        }
                    }
                } else {
                    values.put(name, parser.getText());
                }
            }
            assertEquals(null, parser.nextToken());
        }
        return values;
    }
}
