package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real captures written as HAR (checked by the npm package har-validator), JSON lines and the summary. */
class HarIT {
    private static Path validator;

    @TempDir
    Path dir;

    @BeforeAll
    static void installValidator() throws IOException {
        Path prefix = E2eSettings.projectHome().resolve("target/har-validator");
        if (!Files.isDirectory(prefix.resolve("node_modules/har-validator"))) {
            Files.createDirectories(prefix);
            ProcessRun install = RunningCommand.run(Duration.ofMinutes(3),
                    List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), "har-validator@5.1.5"));
            if (install.exitCode() != 0) {
                fail("cannot install the HAR schema validator (npm install har-validator): " + install.stderrText());
            }
        }
        validator = prefix.resolve("validate.js");
        Files.writeString(validator, String.join("\n",
                "const har = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));",
                "require('" + prefix.resolve("node_modules/har-validator") + "').har(har)",
                "  .then(() => console.log('valid'))",
                "  .catch(e => { console.error(JSON.stringify(e.errors || e.message)); process.exit(1); });",
                ""));
    }

    @Test
    void keepAliveRedirectPostAndGzipMakeAValidHar() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String base = "http://" + Httptap.HOST + ":" + server.port();
            Path har = dir.resolve("out.har");
            Path jsonl = dir.resolve("out.jsonl");
            ProcessRun run = Httptap.command("sh", "-c",
                    "curl -s " + base + "/hello " + base + "/hello"
                            + " && curl -sL " + base + "/redirect"
                            + " && curl -s -d 'name=httptap' " + base + "/echo"
                            + " && curl -s --compressed " + base + "/gzip?x=1")
                    .flags("--dump-har", har.toString(), "--dump-jsonl", jsonl.toString(), "--summary").run();
            assertEquals(0, run.exitCode(), run.stderrText());

            assertValid(har);
            List<String> urls = values(har, "url");
            assertEquals(List.of(base + "/hello", base + "/hello", base + "/redirect", base + "/hello", base + "/echo",
                    base + "/gzip?x=1"), urls);
            List<String> connections = values(har, "connection");
            assertEquals(connections.get(0), connections.get(1), "keep-alive: one connection for both");
            String text = Files.readString(har);
            assertTrue(text.contains("\"text\" : \"name=httptap\""), "postData");
            assertTrue(text.contains(LocalHttpServer.GZIP_TEXT.replace("\n", "\\n")), "gzip decoded");
            assertTrue(text.contains("\"redirectURL\" : \"/hello\""));

            JsonLines lines = JsonLines.read(Files.readAllLines(jsonl));
            assertEquals(urls, lines.exchangeUrls());
            assertTrue(lines.queriedNames().contains(Httptap.HOST), lines.queriedNames().toString());
            assertTrue(run.stdoutText().contains("REQUESTS"), run.stdoutText());
            assertTrue(run.stdoutText().contains(Httptap.HOST + ":" + server.port() + "         6"), run.stdoutText());
        }
    }

    @Test
    void harIsCompleteAfterSigtermMidRun() throws IOException, InterruptedException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            Path har = dir.resolve("term.har");
            RunningCommand running = Httptap.command("sh", "-c",
                    "curl -s http://" + Httptap.HOST + ":" + server.port() + "/hello; exec sleep 30")
                    .flags("--dump-har", har.toString()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.exists(har) && Files.readString(har).contains("/hello")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(running.isAlive(), "httptap ended before it was signalled");
            running.terminate();
            ProcessRun run = running.awaitExit(Duration.ofSeconds(30));
            assertEquals(128 + 15, run.exitCode(), run.stderrText());
            assertValid(har);
            assertEquals(1, values(har, "url").size());
        }
    }

    @Test
    void jsonLinesOnStandardOutputParseOneByOne() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            ProcessRun run = Httptap.command("curl", "-s", url, url).flags("--dump-jsonl", "-").run();

            assertEquals(0, run.exitCode(), run.describe());
            JsonLines lines = JsonLines.read(run.stdoutLines().stream().filter(line -> line.startsWith("{")).toList());
            assertEquals(List.of(url, url), lines.exchangeUrls(), run.describe());
            assertTrue(lines.queriedNames().contains(Httptap.HOST), run.describe());
        }
    }

    @Test
    void harIsCompleteAfterCtrlCInATerminalMidDownload() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            Path har = dir.resolve("interrupted.har");
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/bytes/100000000";
            // The download runs at 200 KB/s, so it is well under way, and far from done, when Ctrl-C comes.
            ProcessRun run = RunningCommand.run(Duration.ofSeconds(60), List.of("python3", "-c", ChildLifeIT.TERMINAL_DRIVER,
                    Httptap.launcher().toString(), "--dump-har", har.toString(), "--", "sh", "-c",
                    "(sleep 2; echo ready) & curl -s --limit-rate 200k -o /dev/null " + url));

            assertTrue(run.stdoutText().contains("---> GET " + url), run.describe());
            assertValid(har);
            assertEquals(List.of(url), values(har, "url"));
            List<String> comments = values(har, "comment");
            assertTrue(comments.contains("the connection was reset before the exchange completed")
                    || comments.contains("still in progress when the HAR was closed"), "the entry says it was cut short: " + comments);
        }
    }

    @Test
    void recordingAGibibyteResponseToHarKeepsTheHeapSmallAndTheBytesIntact() throws IOException {
        long size = 1L << 30;
        try (LocalHttpServer server = LocalHttpServer.start()) {
            Path har = dir.resolve("large.har");
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/bytes/" + size;
            ProcessRun run = Httptap.command("sh", "-c", "curl -s " + url + " | sha256sum")
                    .wrappedIn("env", "HTTPTAP_JAVA_OPTS=-Xmx64m")
                    .flags("--dump-har", har.toString())
                    .timeout(E2eSettings.largeTransferTimeout()).run();

            assertEquals(0, run.exitCode(), run.describe());
            assertEquals(DeterministicContent.sha256Hex(size) + "  -\n", run.programStdout(), run.describe());
            assertTrue(run.stdoutLines().contains("<--- 200 " + url + " (" + size + " bytes)"), run.describe());
            assertValid(har);
            String text = Files.readString(har);
            assertTrue(text.contains("truncated: the first 10485760 of " + size + " bytes"), "the body is capped in the HAR");
            assertTrue(Files.size(har) < 20_000_000L, "HAR size " + Files.size(har));
        }
    }

    private static void assertValid(Path har) {
        ProcessRun check = RunningCommand.run(Duration.ofSeconds(60), List.of("node", validator.toString(), har.toString()));
        assertEquals(0, check.exitCode(), "HAR schema errors: " + check.stderrText());
    }

    private static List<String> values(Path json, String name) throws IOException {
        return values(Files.readAllBytes(json), name);
    }

    /** Every value of the fields called {@code name}, in document order; the whole document is parsed. */
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

    /** What --dump-jsonl wrote: the exchanges' URLs and the DNS queries' names, each line parsed whole. */
    private record JsonLines(List<String> exchangeUrls, List<String> queriedNames) {
        static JsonLines read(List<String> lines) throws IOException {
            JsonLines read = new JsonLines(new ArrayList<>(), new ArrayList<>());
            for (String line : lines) {
                byte[] json = line.getBytes(StandardCharsets.UTF_8);
                String type = values(json, "type").get(0);
                if (type.equals("http")) {
                    read.exchangeUrls.add(values(json, "url").get(0));
                } else {
                    assertEquals("dns", type, line);
                    read.queriedNames.add(values(json, "name").get(0));
                }
            }
            return read;
        }
    }
}
