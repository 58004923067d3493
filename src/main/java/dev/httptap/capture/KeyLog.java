package dev.httptap.capture;

import dev.httptap.log.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@code --keylog} file: TLS secrets in the NSS key log format ({@code SSLKEYLOGFILE}), one line each,
 * flushed line by line, so a tool reading it beside a live capture finds a secret as soon as it exists.
 */
public final class KeyLog implements AutoCloseable {
    private final OutputStream out;
    private final String name;
    private boolean failed;

    KeyLog(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    /** Creates or truncates {@code path}, 0600. */
    public static KeyLog open(Path path) throws IOException {
        return new KeyLog(PrivateFile.open(path), path.toString());
    }

    /** One line of the format: "LABEL client_random secret", hex, with its line end. */
    static String line(String label, String clientRandom, String secretHex) {
        return label + " " + clientRandom + " " + secretHex + "\n";
    }

    public synchronized void write(String line) {
        if (failed) {
            return;
        }
        try {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            failed = true;
            Log.error("cannot write the key log %s, no more will be written: %s", name, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            Log.error("cannot close the key log %s: %s", name, e.getMessage());
        }
    }
}
