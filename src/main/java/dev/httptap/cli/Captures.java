package dev.httptap.cli;

import dev.httptap.capture.CaptureFile;
import dev.httptap.capture.KeyLog;
import dev.httptap.capture.SecretRecorder;
import dev.httptap.files.IoFailure;
import dev.httptap.tls.InterceptionContext;
import dev.httptap.tun.ObservedDevice;
import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.util.List;

/**
 * The run's --dump-pcap capture and --keylog file, when asked for. {@link #close()} flushes and closes them;
 * it runs when the run ends and, through a shutdown hook, when the JVM is stopped some other way (SIGTERM
 * to httptap itself), so the capture always ends on a whole block that tshark reads.
 */
final class Captures implements AutoCloseable {
    private final CaptureFile capture;
    private final KeyLog keyLog;
    private final Thread shutdownHook = new Thread(this::finish, "httptap-capture-shutdown");
    private boolean finished;

    private Captures(CaptureFile capture, KeyLog keyLog) {
        this.capture = capture;
        this.keyLog = keyLog;
    }

    static Captures open(CaptureSettings settings, String tunName, List<String> command) throws TapException {
        KeyLog keyLog = null;
        try {
            if (settings.keyLog() != null) {
                keyLog = KeyLog.open(settings.keyLog());
            }
        } catch (IOException e) {
            throw new TapException("--keylog " + settings.keyLog() + ": " + IoFailure.reason(e), e);
        }
        CaptureFile capture = null;
        try {
            if (settings.pcap() != null) {
                capture = CaptureFile.open(settings.pcap(), settings.pcapMaxBytes(), versionNumber(), tunName,
                        String.join(" ", command));
            }
        } catch (IOException e) {
            if (keyLog != null) {
                keyLog.close();
            }
            throw new TapException("--dump-pcap " + settings.pcap() + ": " + IoFailure.reason(e), e);
        }
        Captures captures = new Captures(capture, keyLog);
        if (capture != null || keyLog != null) {
            Runtime.getRuntime().addShutdownHook(captures.shutdownHook);
        }
        return captures;
    }

    private static String versionNumber() {
        try {
            return Version.number();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** {@code device}, recording its packets into the capture if there is one (as it is otherwise). */
    PacketDevice observe(PacketDevice device) {
        return capture == null ? device : new ObservedDevice(device, capture);
    }

    /** {@code context}, its child's side telling the capture and key log its secrets if either wants them. */
    InterceptionContext withSecrets(InterceptionContext context) {
        return capture == null && keyLog == null ? context : context.withSecretListener(new SecretRecorder(capture, keyLog));
    }

    /** {@code roundEnd}, followed by pushing out what the capture holds, if there is one. */
    Runnable afterRound(Runnable roundEnd) {
        if (capture == null) {
            return roundEnd;
        }
        return () -> {
            roundEnd.run();
            capture.flush();
        };
    }

    @Override
    public void close() {
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or no hook was added: finish() did the work either way
        }
    }

    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (capture != null) {
            capture.close();
        }
        if (keyLog != null) {
            keyLog.close();
        }
    }
}
