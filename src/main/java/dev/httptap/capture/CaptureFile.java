package dev.httptap.capture;

import dev.httptap.log.Log;
import dev.httptap.tun.PacketObserver;
import dev.httptap.wire.PacketSummary.Direction;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The pcapng file of {@code --dump-pcap}, written as packets pass: the header blocks at once, then the
 * packets of each round of the relay's work, pushed out by {@link #flush()} at the round's end (so a reader
 * such as {@code tshark -i -} sees them within a round), with the TLS secrets derived during the round ahead
 * of them. That matters for TLS 1.2, whose master secret the server derives from the client's last handshake
 * flight, in the same packet as the first record it protects (the client's Finished): the secret is known
 * only once that packet is read, but goes before it in the file. (TLS 1.3's secrets exist before any record
 * they protect is sent; going earlier does no harm.) At most {@link #MAX_HELD_BYTES} of a round's packets are
 * held; past that they are written at once. Once {@code maxBytes} would be passed, the capture stops with one
 * note; a write that fails stops it too. Safe for the threads that read and write the TUN device at once.
 */
public final class CaptureFile implements PacketObserver, AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A round's packets held back at most, so that its secrets can go ahead of them. */
    static final int MAX_HELD_BYTES = 4 * 1024 * 1024;
    /** How much of the command line the file's comment quotes (a pcapng option holds at most 65,535 bytes). */
    private static final int COMMAND_QUOTED_CHARS = 1024;

    private final OutputStream out;
    private final boolean closeOut;
    private final String name;
    private final long maxBytes;
    private final Clock clock;
    /** This round's packet blocks, not yet written. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    /** Bytes written and held. */
    private long written;
    /** No more blocks: the size limit was reached, or the file closed or failed. */
    private boolean stopped;
    /** The stream failed or was closed: not even a flush is tried. */
    private boolean broken;

    /** Microseconds since the epoch, the file's timestamp unit. */
    @FunctionalInterface
    public interface Clock {
        long micros();

        Clock SYSTEM = () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        };
    }

    CaptureFile(OutputStream out, boolean closeOut, String name, long maxBytes, Clock clock, byte[] headers) throws IOException {
        this.out = new BufferedOutputStream(out, BUFFER_BYTES);
        this.closeOut = closeOut;
        this.name = name;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.out.write(headers);
        this.out.flush();
        this.written = headers.length;
    }

    /**
     * Opens {@code target} ("-" for standard output) and writes the section and interface headers, which
     * say what the file is: the packets of {@code command} on the TUN device {@code tunName}.
     */
    public static CaptureFile open(String target, long maxBytes, String version, String tunName, String command)
            throws IOException {
        boolean stdout = target.equals("-");
        OutputStream out = stdout ? new FileOutputStream(FileDescriptor.out) : PrivateFile.open(Path.of(target));
        String quoted = command.length() <= COMMAND_QUOTED_CHARS ? command
                : command.substring(0, COMMAND_QUOTED_CHARS) + "...";
        byte[] section = PcapngBlocks.sectionHeader("httptap " + version,
                "httptap: every packet of the command '" + quoted + "' on its TUN device, with the TLS secrets of the"
                        + " connections httptap intercepted");
        byte[] iface = PcapngBlocks.interfaceDescription(tunName,
                "the command's side of httptap's TUN device (raw IP; outbound: sent by the command)");
        byte[] headers = new byte[section.length + iface.length];
        System.arraycopy(section, 0, headers, 0, section.length);
        System.arraycopy(iface, 0, headers, section.length, iface.length);
        return new CaptureFile(out, !stdout, stdout ? "standard output" : target, maxBytes, Clock.SYSTEM, headers);
    }

    /**
     * One packet, either way, stamped with the time now: for a packet the command sent, the time the relay read
     * it, so packets the kernel queued before a read share that read's time.
     */
    @Override
    public synchronized void onPacket(ByteBuffer packet, Direction direction) {
        byte[] block = PcapngBlocks.enhancedPacket(clock.micros(), packet, direction == Direction.OUTGOING);
        if (fits(block)) {
            held.writeBytes(block);
            if (held.size() > MAX_HELD_BYTES) {
                writeHeld();
            }
        }
    }

    /** Key log lines, written ahead of the round's packets: the packets they decrypt come after. */
    public synchronized void secrets(String keyLogLines) {
        byte[] block = PcapngBlocks.decryptionSecrets(keyLogLines);
        if (fits(block)) {
            write(block);
        }
    }

    /** Writes the round's packets and pushes out everything written. */
    public synchronized void flush() {
        writeHeld();
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Counts {@code block} in, unless it would pass the size limit: then the capture stops, with a note. */
    private boolean fits(byte[] block) {
        if (stopped) {
            return false;
        }
        if (maxBytes > 0 && written + block.length > maxBytes) {
            stopped = true;
            Log.error("--pcap-max-size %d reached: the capture in %s stops here (%d bytes)", maxBytes, name, written);
            return false;
        }
        written += block.length;
        return true;
    }

    private void writeHeld() {
        if (held.size() > 0 && !broken) {
            try {
                held.writeTo(out);
            } catch (IOException e) {
                fail(e);
            }
        }
        held.reset();
    }

    private void write(byte[] bytes) {
        if (broken) {
            return;
        }
        try {
            out.write(bytes);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        stopped = true;
        broken = true;
        Log.error("cannot write the capture to %s, it stops here: %s", name, e.getMessage());
    }

    @Override
    public synchronized void close() {
        flush();
        stopped = true;
        broken = true;
        if (closeOut) {
            try {
                out.close();
            } catch (IOException e) {
                Log.error("cannot close the capture %s: %s", name, e.getMessage());
            }
        }
    }
}
