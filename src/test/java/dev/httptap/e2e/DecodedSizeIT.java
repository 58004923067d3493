package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.brotli.dec.BrotliInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code (N bytes)} is the decoded length, as the original prints it, for bodies a python3 server sends in
 * gzip, br (a file {@code brotli -q 11} wrote), zstd and stacked codings, and the HAR and JSON lines keep both
 * sizes; a body that does not decode shows its length as sent and says so. The client (curl without
 * --compressed) takes the bodies as they are.
 */
class DecodedSizeIT {
    /** 82,558 bytes of text as {@code brotli -q 11} wrote them, and the text (3,000 numbered lines). */
    private static final byte[] BROTLI = resource("lines-3000.txt.br");
    private static final byte[] TEXT = brotliDecoded(BROTLI);

    @TempDir
    Path dir;

    private RunningCommand server;
    private String base;
    private final Map<String, byte[]> sent = new LinkedHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        Path files = Files.createDirectories(dir.resolve("files"));
        byte[] gzip = gzip(TEXT);
        serve(files, "text.gz", "gzip", gzip);
        serve(files, "text.br", "br", BROTLI);
        serve(files, "text.zst", "zstd", zstd(TEXT));
        serve(files, "text.gz.zst", "gzip, zstd", zstd(gzip));
        serve(files, "broken.gz", "gzip", Arrays.copyOf(gzip, 1000));
        server = RunningCommand.start(List.of("python3", E2eSettings.script("coded_files.py").toString(), files.toString()));
        server.awaitStdout("\n", Duration.ofSeconds(20));
        base = "http://" + Httptap.HOST + ":" + server.stdoutSoFar().strip();
    }

    @AfterEach
    void stopServer() {
        server.killTree();
    }

    @Test
    void theResponseLineCountsDecodedBytesAndTheRecordsKeepBoth() throws IOException {
        Path har = dir.resolve("out.har");
        Path jsonl = dir.resolve("out.jsonl");
        StringBuilder curls = new StringBuilder();
        for (String name : sent.keySet()) {
            curls.append("curl -s -o /dev/null ").append(base).append('/').append(name).append(" && ");
        }
        ProcessRun run = Httptap.command("sh", "-c", curls + "curl -s -F who=me -F upload=@/etc/hostname " + base + "/form")
                .flags("--dump-har", har.toString(), "--dump-jsonl", jsonl.toString()).run();

        List<String> lines = run.stdoutLines();
        List<Map<String, String>> contents = objects(har, "content");
        List<Map<String, String>> records = objects(jsonl, null);
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertTrue(lines.contains("<--- 200 " + base + "/text.gz (" + TEXT.length + " bytes)"), "gzip"),
                () -> assertTrue(lines.contains("<--- 200 " + base + "/text.br (" + TEXT.length + " bytes)"), "br"),
                () -> assertTrue(lines.contains("<--- 200 " + base + "/text.zst (" + TEXT.length + " bytes)"), "zstd"),
                () -> assertTrue(lines.contains("<--- 200 " + base + "/text.gz.zst (" + TEXT.length + " bytes)"), "stacked"),
                () -> assertTrue(lines.contains("<--- 200 " + base + "/broken.gz (1000 bytes, not decodable as gzip)"),
                        "not decodable"),
                () -> assertTrue(lines.contains("<--- 204 " + base + "/form (0 bytes)"), "the form"));
        List<String> names = new ArrayList<>(sent.keySet());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long encoded = sent.get(name).length;
            boolean decodable = !name.equals("broken.gz");
            long size = decodable ? TEXT.length : encoded;
            Map<String, String> content = contents.get(i);
            // By URL: a coded exchange's record is written once the decoder thread is done with it, which may be
            // after the next exchange's.
            Map<String, String> record = records.stream().filter(r -> (base + "/" + name).equals(r.get("url")))
                    .findFirst().orElseThrow(() -> new AssertionError("no JSON line for " + name));
            assertAll(name,
                    () -> assertEquals(Long.toString(size), content.get("size"), "HAR content.size"),
                    () -> assertEquals(decodable ? Long.toString(size - encoded) : null, content.get("compression"),
                            "HAR content.compression"),
                    () -> assertEquals(Long.toString(encoded), record.get("responseBodySize"), "JSON lines: as sent"),
                    () -> assertEquals(Long.toString(size), record.get("responseContentSize"), "JSON lines: decoded"),
                    () -> assertEquals(decodable ? null : "not decodable as gzip", record.get("responseNotDecoded")));
        }
        assertTrue(Files.readString(har).replaceAll("\\s", "").contains(
                "\"params\":[{\"name\":\"who\",\"value\":\"me\"},{\"name\":\"upload\",\"fileName\":\"hostname\","
                        + "\"contentType\":\"application/octet-stream\"}]"), "the form's params");
    }

    private void serve(Path files, String name, String coding, byte[] body) throws IOException {
        Files.write(files.resolve(name), body);
        Files.writeString(files.resolve(name + ".coding"), coding);
        sent.put(name, body);
    }

    /** The scalar fields of every object named {@code field} (of every top-level object, for null), in order. */
    private static List<Map<String, String>> objects(Path json, String field) throws IOException {
        List<Map<String, String>> all = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json.toFile())) {
            while (parser.nextToken() != null) {
                boolean wanted = field == null ? parser.currentToken() == JsonToken.START_OBJECT
                        : parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals(field)
                                && parser.nextToken() == JsonToken.START_OBJECT;
                if (!wanted) {
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        parser.skipChildren();
                    } else {
                        fields.put(name, parser.getText());
                    }
                }
                if (field != null || "http".equals(fields.get("type"))) {
                    all.add(fields);
                }
            }
        }
        return all;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DecodedSizeIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] brotliDecoded(byte[] brotli) {
        try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(brotli))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static byte[] zstd(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
