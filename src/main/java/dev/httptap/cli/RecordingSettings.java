package dev.httptap.cli;

import dev.httptap.event.ExchangeFilter;
import java.nio.file.Path;

/**
 * What a run records besides the terminal lines: a HAR file (null for none) with its body limit, JSON
 * lines (a file, "-" for standard output, or null), the host summary, and the filter all of them share.
 */
record RecordingSettings(Path harFile, long harMaxBody, String jsonLines, boolean summary, ExchangeFilter filter) {
    static RecordingSettings from(Options options) {
        if (options.harMaxBody < 0) {
            throw new IllegalArgumentException("--har-max-body must be 0 or more bytes");
        }
        if (options.dumpJsonl != null && options.dumpJsonl.isEmpty()) {
            throw new IllegalArgumentException("--dump-jsonl needs a file name, or '-' for standard output");
        }
        return new RecordingSettings(
                options.dumpHar == null ? null : Path.of(options.dumpHar),
                options.harMaxBody,
                options.dumpJsonl,
                options.summary,
                options.filter == null ? ExchangeFilter.ALL : ExchangeFilter.parse(options.filter));
    }
}
