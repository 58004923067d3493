package dev.httptap.cli;

import java.nio.file.Path;

/**
 * What a run captures: the pcapng file of --dump-pcap ("-" for standard output, null for none) with its size
 * limit (0: none), and the key log file of --keylog (null for none).
 */
record CaptureSettings(String pcap, long pcapMaxBytes, Path keyLog) {
    static CaptureSettings from(Options options) {
        if (options.pcapMaxSize < 0) {
            throw new IllegalArgumentException("--pcap-max-size must be 0 (no limit) or more bytes");
        }
        if (options.dumpPcap != null && options.dumpPcap.isEmpty()) {
            throw new IllegalArgumentException("--dump-pcap needs a file name, or '-' for standard output");
        }
        if ("-".equals(options.dumpPcap) && "-".equals(options.dumpJsonl)) {
            throw new IllegalArgumentException("--dump-pcap and --dump-jsonl cannot both write to standard output");
        }
        if (options.keylog != null && (options.keylog.isEmpty() || options.keylog.equals("-"))) {
            throw new IllegalArgumentException("--keylog needs a file name");
        }
        return new CaptureSettings(options.dumpPcap, options.pcapMaxSize,
                options.keylog == null ? null : Path.of(options.keylog));
    }
}
