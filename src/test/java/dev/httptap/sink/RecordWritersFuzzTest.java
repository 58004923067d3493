package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeFilter;
import dev.httptap.event.Exchange;
import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.sink.har.ConnectionTimings;
import dev.httptap.sink.har.HarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON lines and HAR writers fed exchanges whose method, target, reason and header fields are
 * arbitrary bytes (HTTP/1 heads keep every byte as an ISO-8859-1 char) or any Unicode text (HPACK strings).
 * The output must parse as JSON and give every field back as it was sent; a JSON line must stay one line.
 */
class RecordWritersFuzzTest {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Path BODIES = temporaryDirectory();
    private static final Outcome[] FINISHED = java.util.Arrays.stream(Outcome.values())
            .filter(outcome -> outcome != Outcome.PENDING).toArray(Outcome[]::new);

    @FuzzTest
    void jsonLines(FuzzedDataProvider data) throws IOException {
        Exchange exchange = exchange(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesWriter writer = new JsonLinesWriter(out, true, ExchangeClock.SYSTEM)) {
            writer.onExchangeFinished(exchange);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(text.length() - 1, text.indexOf('\n'), "one line, ended by a line feed");
        assertEquals(fieldsOf(exchange), stringsIn(text, "method", "name", "value", "statusText"));
    }

    @FuzzTest
    void har(FuzzedDataProvider data) throws IOException {
        Exchange exchange = exchange(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HarWriter har = HarWriter.open(out, "0", BODIES, 1024, ExchangeFilter.ALL, ExchangeClock.SYSTEM,
                new ConnectionTimings());
        har.onRequestHead(exchange);
        har.onResponseHead(exchange);
        har.onExchangeFinished(exchange);
        har.close();
        List<String> strings = stringsIn(out.toString(StandardCharsets.UTF_8), "method", "name", "value", "statusText");
        assertTrue(strings.containsAll(fieldsOf(exchange)), "every field is in the HAR as sent: " + strings);
    }

    /** An exchange with a fuzzed request and response head. */
    private static Exchange exchange(FuzzedDataProvider data) {
        boolean anyChars = data.consumeBoolean();
        String method = text(data, anyChars);
        Exchange exchange = Exchanges.started(Exchanges.connection(40000), method, text(data, anyChars),
                headers(data, anyChars));
        Exchanges.respond(exchange, data.consumeInt(100, 999), text(data, anyChars), headers(data, anyChars));
        Exchanges.finish(exchange, data.pickValue(FINISHED));
        return exchange;
    }

    private static Headers headers(FuzzedDataProvider data, boolean anyChars) {
        List<Header> fields = new ArrayList<>();
        for (int count = data.consumeInt(0, 4); count > 0; count--) {
            fields.add(new Header(text(data, anyChars), text(data, anyChars)));
        }
        return Headers.of(fields);
    }

    /** Bytes as an HTTP/1 head gives them (ISO-8859-1), or any Unicode text, as HPACK decoding gives it. */
    private static String text(FuzzedDataProvider data, boolean anyChars) {
        byte[] bytes = data.consumeBytes(data.consumeInt(0, 64));
        if (!anyChars) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder();
        ByteBuffer codePoints = ByteBuffer.wrap(bytes);
        while (codePoints.remaining() >= 3) {
            int codePoint = ((codePoints.get() & 0x1f) << 16 | (codePoints.getShort() & 0xffff)) % (Character.MAX_CODE_POINT + 1);
            if (!Character.isSurrogate((char) codePoint) || Character.isSupplementaryCodePoint(codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    /** The method, reason and header fields in the order a JSON line has them, as the writers should show them. */
    private static List<String> fieldsOf(Exchange exchange) {
        List<String> fields = new ArrayList<>();
        fields.add(exchange.request().method());
        exchange.response().ifPresent(response -> fields.add(response.reason()));
        addFields(fields, exchange.request().headers());
        exchange.response().ifPresent(response -> addFields(fields, response.headers()));
        return fields;
    }

    private static void addFields(List<String> fields, Headers headers) {
        for (Header field : headers) {
            fields.add(field.name());
            fields.add(field.value());
        }
    }

    /** Every string value of the given field names, in document order; fails unless the text is JSON. */
    private static List<String> stringsIn(String json, String... names) throws IOException {
        List<String> wanted = List.of(names);
        List<String> values = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING && wanted.contains(parser.currentName())) {
                    values.add(parser.getText());
                }
            }
        }
        return values;
    }

    private static Path temporaryDirectory() {
        try {
            Path directory = Files.createTempDirectory("httptap-fuzz-har");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
