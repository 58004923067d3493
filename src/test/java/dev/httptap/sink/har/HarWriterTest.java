package dev.httptap.sink.har;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeFilter;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.log.LogCapture;
import dev.httptap.sink.Exchanges;
import dev.httptap.sink.FullDisk;

import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarWriterTest {
    private static final ExchangeClock CLOCK = Exchanges.clock(50_000_000L);

    @TempDir
    Path bodies;

    private final ByteArrayOutputStream file = new ByteArrayOutputStream();
    private final ConnectionTimings timings = new ConnectionTimings();

    private HarWriter writer(long bodyLimit, ExchangeFilter filter) throws IOException {
        return HarWriter.open(file, "1.2.3", bodies, bodyLimit, filter, CLOCK, timings);
    }

    @Test
    void smallExchangeMatchesTheGoldenHar() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = Exchanges.started(Exchanges.connection(40000), "POST", "/form?q=a%20b&empty",
                Headers.of("Host", "host.httptap.local:8000", "Cookie", "id=7; theme=dark",
                        "Content-Type", "application/x-www-form-urlencoded", "Content-Length", "7"));
        har.onRequestHead(exchange);
        har.onRequestBody(exchange, utf8("name=ok"));
        exchange.markRequestComplete(exchange.startNanos());
        Exchanges.respond(exchange, 302, "Found", Headers.of("Location", "/done",
                "Set-Cookie", "sid=xyz; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly",
                "Content-Type", "text/plain; charset=utf-8", "Content-Length", "3"));
        har.onResponseHead(exchange);
        har.onResponseBody(exchange, utf8("é!"));
        Exchanges.finish(exchange, Outcome.COMPLETE);
        har.onExchangeFinished(exchange);
        har.close();

        assertEquals(golden("small-exchange.har"), file.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstExchangeOfAConnectionCarriesItsConnectAndSslTimesAndLaterOnesMinusOne() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        ConnectionInfo connection = Exchanges.connection(40000);
        timings.onConnected(connection.flow(), connection.upstream(), 0, 7_000_000);
        timings.onHandshake(connection.flow(), 0, 3_000_000);
        for (String target : List.of("/first", "/second")) {
            Exchange exchange = Exchanges.started(connection, "POST", target, Headers.of("Host", "h:8000"));
            har.onRequestHead(exchange);
            exchange.markRequestComplete(Exchanges.START_NANOS + 5_000_000L);
            Exchanges.respond(exchange, 200, "OK", Headers.EMPTY);
            finish(har, exchange, Outcome.COMPLETE);
        }
        har.close();

        List<Map<String, String>> entries = allFields(file.toByteArray(), "timings");
        assertEquals(Map.of("blocked", "-1", "dns", "-1", "connect", "10", "ssl", "3", "send", "5", "wait", "15",
                "receive", "15"), entries.get(0), "connect includes ssl (HAR 1.2)");
        assertEquals(Map.of("blocked", "-1", "dns", "-1", "connect", "-1", "ssl", "-1", "send", "5", "wait", "15",
                "receive", "15"), entries.get(1), "a reused connection");
        assertEquals(List.of("45", "35"), allValues(file.toByteArray(), "time"));
        assertEquals(List.of("2026-01-02T03:04:05.668Z", "2026-01-02T03:04:05.678Z"),
                allValues(file.toByteArray(), "startedDateTime"), "the first starts with its connection");
    }

    /** A Host without the connection's port, to the host alias over IPv6: the URL and address as in the lines. */
    @Test
    void urlAndServerAddressAreWrittenAsPrinted() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        FlowId flow = new FlowId(new InetSocketAddress("fd77:6874:7470::100", 40000),
                new InetSocketAddress("fd77:6874:7470:0:0:0:a9fe:4d41", 8443));
        ConnectionInfo connection = new ConnectionInfo(flow, new InetSocketAddress("0:0:0:0:0:0:0:1", 8443), "https");
        Exchange exchange = Exchanges.started(connection, "GET", "/", Headers.of("Host", "[fd77:6874:7470:0:0:0:a9fe:4d41]"));
        har.onRequestHead(exchange);
        Exchanges.respond(exchange, 200, "OK", Headers.EMPTY);
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        assertEquals(List.of("https://[fd77:6874:7470::a9fe:4d41]:8443/"), allValues(file.toByteArray(), "url"));
        assertEquals(List.of("::1"), allValues(file.toByteArray(), "serverIPAddress"));
    }

    @Test
    void binaryBodyIsBase64WithItsEncoding() throws IOException {
        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, 1};
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/image.png", Headers.of("Content-Type", "image/png"), binary);
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("base64", content.get("encoding"));
        assertArrayEquals(binary, Base64.getDecoder().decode(content.get("text")));
        assertEquals("8", content.get("size"));
    }

    @Test
    void bodyOverTheLimitIsCutAndSaysSo() throws IOException {
        HarWriter har = writer(10, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/big", Headers.of("Content-Type", "text/plain"), "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8));
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("0123456789", content.get("text"));
        assertEquals("20", content.get("size"));
        assertTrue(content.get("comment").contains("truncated: the first 10 of 20 bytes"), content.get("comment"));
    }

    @Test
    void gzipBodyIsDecodedWithItsCompression() throws IOException {
        byte[] plain = "hello hello hello hello hello hello\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(plain);
        }
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/gz", Headers.of("Content-Type", "text/plain", "Content-Encoding", "gzip"),
                gzipped.toByteArray());
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals(new String(plain, StandardCharsets.UTF_8), content.get("text"));
        assertEquals(Integer.toString(plain.length), content.get("size"));
        assertEquals(Integer.toString(plain.length - gzipped.size()), content.get("compression"));
    }

    @Test
    void aMeasuredDecodedLengthIsTheContentSizeAndBrotliIsDecodedToo() throws IOException {
        byte[] brotli = java.util.HexFormat.of().parseHex("8f068068656c6c6f2c2062726f746c690a03"); // "hello, brotli\n"
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/br", Headers.of("Content-Type", "text/plain", "Content-Encoding", "br"), brotli);
        exchange.recordDecodedResponseLength(DecodedLength.of(14));
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("hello, brotli\n", content.get("text"));
        assertEquals("14", content.get("size"));
        assertEquals(Integer.toString(14 - brotli.length), content.get("compression"));
    }

    @Test
    void aBodyTooLargeToKeepStillHasItsMeasuredSize() throws IOException {
        byte[] gzipped = gzip("0123456789".repeat(1000).getBytes(StandardCharsets.UTF_8));
        HarWriter har = writer(16, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/gz", Headers.of("Content-Type", "text/plain", "Content-Encoding", "gzip"), gzipped);
        exchange.recordDecodedResponseLength(DecodedLength.of(10_000));
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("10000", content.get("size"));
        assertEquals(Integer.toString(10_000 - gzipped.length), content.get("compression"));
        assertEquals("base64", content.get("encoding"), "the gzip bytes as sent are not text");
        assertTrue(content.get("comment").startsWith("too large to decode; shown as sent, gzip-encoded"), content.get("comment"));
    }

    @Test
    void aBodyThatCouldNotBeDecodedIsShownAsSentWithWhy() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/gz", Headers.of("Content-Type", "text/plain", "Content-Encoding", "gzip"),
                "not gzip".getBytes(StandardCharsets.UTF_8));
        exchange.recordDecodedResponseLength(DecodedLength.notDecoded("not decodable as gzip"));
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("8", content.get("size"));
        assertEquals(null, content.get("compression"));
        assertEquals("not gzip", content.get("text"));
        assertEquals("not decodable as gzip; shown as sent", content.get("comment"));
    }

    @Test
    void anImageIsBase64EvenWhenItsBytesAreValidUtf8() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = get(har, 40000, "/pixel.gif", Headers.of("Content-Type", "image/gif"),
                "GIF89a".getBytes(StandardCharsets.UTF_8));
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        Map<String, String> content = fields(file.toByteArray(), "content");
        assertEquals("base64", content.get("encoding"));
        assertEquals("GIF89a", new String(Base64.getDecoder().decode(content.get("text")), StandardCharsets.UTF_8));
    }

    @Test
    void aMultipartFormHasItsParams() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange exchange = Exchanges.started(Exchanges.connection(40000), "POST", "/upload",
                Headers.of("Host", "h:8000", "Content-Type", "multipart/form-data; boundary=B"));
        har.onRequestHead(exchange);
        har.onRequestBody(exchange, utf8("--B\r\nContent-Disposition: form-data; name=\"who\"\r\n\r\nme\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/zip\r\n\r\n"
                + "PK\r\n--B--\r\n"));
        exchange.markRequestComplete(exchange.startNanos());
        Exchanges.respond(exchange, 204, "No Content", Headers.EMPTY);
        har.onResponseHead(exchange);
        finish(har, exchange, Outcome.COMPLETE);
        har.close();

        String json = file.toString(StandardCharsets.UTF_8).replaceAll("\\s", "");
        assertTrue(json.contains("\"params\":[{\"name\":\"who\",\"value\":\"me\"},"
                + "{\"name\":\"f\",\"fileName\":\"x.bin\",\"contentType\":\"application/zip\"}]"), json);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(plain);
        }
        return gzipped.toByteArray();
    }

    @Test
    void entriesFollowStartOrderAndUnfinishedOnesAreWrittenAtClose() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        Exchange first = get(har, 40001, "/first", Headers.EMPTY, new byte[0]);
        Exchange second = get(har, 40002, "/second", Headers.EMPTY, new byte[0]);
        finish(har, second, Outcome.COMPLETE);
        assertFalse(file.toString(StandardCharsets.UTF_8).contains("/second"), "waits for the earlier exchange");
        har.close();

        String text = file.toString(StandardCharsets.UTF_8);
        assertTrue(text.indexOf("/first") < text.indexOf("/second"));
        assertTrue(text.contains("still in progress when the HAR was closed"));
        assertEquals(List.of("1", "2"), values(file.toByteArray(), "connection"));
    }

    @Test
    void filteredOutExchangesAreLeftOut() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.parse("status=4xx"));
        Exchange ok = get(har, 40001, "/ok", Headers.EMPTY, new byte[0]);
        finish(har, ok, Outcome.COMPLETE);
        har.close();

        assertFalse(file.toString(StandardCharsets.UTF_8).contains("/ok"));
        assertEquals(List.of(), values(file.toByteArray(), "url"));
    }

    @Test
    void aFileThatTakesNoBytesIsReportedOnceWhileTheExchangesGoOn() throws Exception {
        HarWriter har = HarWriter.open(new FullDisk(), "1.2.3", bodies, 1024, ExchangeFilter.ALL, CLOCK, timings);

        List<String> log = LogCapture.linesDuring(() -> {
            finish(har, get(har, 40001, "/first", Headers.EMPTY, new byte[0]), Outcome.COMPLETE);
            finish(har, get(har, 40002, "/second", Headers.EMPTY, "body".getBytes(StandardCharsets.UTF_8)),
                    Outcome.COMPLETE);
            get(har, 40003, "/unfinished", Headers.EMPTY, new byte[0]);
            har.close();
        });

        assertEquals(List.of("httptap: cannot write the HAR file, no more exchanges will be recorded: "
                + FullDisk.MESSAGE), log);
        try (var spooled = Files.list(bodies)) {
            assertEquals(List.of(), spooled.toList(), "no body left waiting");
        }
    }

    @Test
    void aFileThatTakesNoBytesWithoutExchangesIsReportedOnceAtClose() throws Exception {
        HarWriter har = HarWriter.open(new FullDisk(), "1.2.3", bodies, 1024, ExchangeFilter.ALL, CLOCK, timings);

        List<String> log = LogCapture.linesDuring(() -> {
            har.close();
            har.close();
        });

        assertEquals(List.of("httptap: cannot finish the HAR file: " + FullDisk.MESSAGE), log);
    }

    @Test
    void closingTwiceWritesOneDocument() throws IOException {
        HarWriter har = writer(1024, ExchangeFilter.ALL);
        har.close();
        har.close();
        assertEquals(List.of(), values(file.toByteArray(), "url"));
    }

    private static Exchange get(HarWriter har, int clientPort, String target, Headers responseHeaders, byte[] body) {
        ConnectionInfo connection = Exchanges.connection(clientPort);
        Exchange exchange = Exchanges.started(connection, "GET", target, Headers.of("Host", "h:8000"));
        har.onRequestHead(exchange);
        exchange.markRequestComplete(exchange.startNanos());
        Exchanges.respond(exchange, 200, "OK", responseHeaders);
        har.onResponseHead(exchange);
        har.onResponseBody(exchange, ByteBuffer.wrap(body).asReadOnlyBuffer());
        exchange.addResponseBodyBytes(body.length);
        return exchange;
    }

    private static void finish(HarWriter har, Exchange exchange, Outcome outcome) {
        Exchanges.finish(exchange, outcome);
        har.onExchangeFinished(exchange);
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The scalar fields of every object called {@code name}, as text, in order. */
    private static List<Map<String, String>> allFields(byte[] json, String name) throws IOException {
        List<Map<String, String>> all = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals(name)) {
                    parser.nextToken();
                    Map<String, String> fields = new HashMap<>();
                    while (parser.nextToken() != JsonToken.END_OBJECT) {
                        String field = parser.currentName();
                        parser.nextToken();
                        fields.put(field, parser.getText());
                    }
                    all.add(fields);
                }
            }
        }
        return all;
    }

    /** Every scalar value of a field called {@code name}, as text, in order. */
    private static List<String> allValues(byte[] json, String name) throws IOException {
        List<String> values = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals(name)
                        && parser.nextToken().isScalarValue()) {
                    values.add(parser.getText());
                }
            }
        }
        return values;
    }

    /** The scalar fields of the first object called {@code name}, as text. */
    private static Map<String, String> fields(byte[] json, String name) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals(name)) {
                    parser.nextToken();
                    while (parser.nextToken() != JsonToken.END_OBJECT) {
                        String field = parser.currentName();
                        parser.nextToken();
                        fields.put(field, parser.getText());
                    }
                    return fields;
                }
            }
        }
        return fields;
    }

    /** Every value of fields called {@code name}, in order. */
    private static List<String> values(byte[] json, String name) throws IOException {
        List<String> values = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals(name)) {
                    parser.nextToken();
                    values.add(parser.getText());
                }
            }
        }
        return values;
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = HarWriterTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
