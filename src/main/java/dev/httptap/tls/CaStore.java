package dev.httptap.tls;

import dev.httptap.files.DirectoryTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The CA kept between runs, like mitmproxy's: made once, valid for {@link #VALIDITY}, replaced by a new one
 * when less than {@link #RENEW_BEFORE} remains. Keeping it lets the launcher start the command before the
 * JVM is up, with the child's trust files already in place (native-helper/lead.c); making a CA and the
 * trust files takes a JVM a few hundred milliseconds of CPU. The trade-off (README, "HTTPS"): anyone who
 * can read the key file, that is this user, can make certificates this user's wrapped commands trust
 * while the CA is valid; {@code --fresh-ca} uses a CA of the run's own instead.
 *
 * <p>Each CA lives in a slot, a directory {@code ROOT/EXPIRY-RANDOM} (mode 0700): {@code ca.key} (0600),
 * and the child's trust files ({@link ChildTrust}, 0644, which hold only certificates; the browsers' copies,
 * {@link BrowserTrust}, among them), plus
 * {@code made-from}, a text telling which system files the trust files were copied from, and
 * {@code browsers-made-from}, the same for the browsers' copies. Expired slots
 * and abandoned half-made ones are deleted on the way.
 */
public final class CaStore {
    public static final Duration VALIDITY = Duration.ofDays(30);
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);
    /** A slot without a key this old was left by a run that died while making it. */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> KEY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String MADE_FROM = "made-from";
    private static final String BROWSERS_MADE_FROM = "browsers-made-from";

    private final Path root;

    private CaStore(Path root) {
        this.root = root;
    }

    /** The store in {@code root} (created, 0700, if missing). */
    public static CaStore in(Path root) throws IOException {
        Files.createDirectories(root.getParent());
        ownerOnlyDirectory(root);
        return new CaStore(root);
    }

    /**
     * The slot to use at {@code now}: the newest with a key that is valid beyond {@link #RENEW_BEFORE}, or
     * a new empty one. {@code madeFrom} describes the trust files' sources as they are now, and
     * {@code browsersMadeFrom} the browsers' copies' ones: a slot made from other ones, or whose files were
     * damaged or deleted since, gets those files written again when its CA is first used.
     */
    public Slot slot(Instant now, String madeFrom, String browsersMadeFrom) throws IOException {
        Optional<Path> newest = Optional.empty();
        try (DirectoryStream<Path> slots = Files.newDirectoryStream(root)) {
            for (Path dir : slots) {
                Optional<Instant> expiry = expiryOf(dir);
                if (expiry.isEmpty()) {
                    continue;
                }
                boolean hasKey = Files.isRegularFile(dir.resolve("ca.key"));
                if (hasKey && !holdsPemKey(dir)) {
                    DirectoryTree.delete(dir); // not written by this version: made again rather than misread
                    continue;
                }
                if (expiry.get().isBefore(now) || !hasKey && abandoned(dir, now)) {
                    DirectoryTree.delete(dir);
                } else if (hasKey && expiry.get().isAfter(now.plus(RENEW_BEFORE))
                        && (newest.isEmpty() || expiryOf(newest.get()).orElseThrow().isBefore(expiry.get()))) {
                    newest = Optional.of(dir);
                }
            }
        }
        if (newest.isPresent()) {
            Path dir = newest.get();
            return new Slot(dir, madeFrom, browsersMadeFrom,
                    madeFrom.equals(read(dir.resolve(MADE_FROM))) && ChildTrust.in(dir).intact(),
                    browsersMadeFrom.equals(read(dir.resolve(BROWSERS_MADE_FROM))) && BrowserTrust.in(dir).intact());
        }
        Instant expires = now.plus(VALIDITY);
        Path dir = root.resolve(expires.getEpochSecond() + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(4)));
        ownerOnlyDirectory(dir);
        ChildTrust.prepare(dir);
        return new Slot(dir, madeFrom, browsersMadeFrom, false, false);
    }

    /** One kept CA's directory. */
    public static final class Slot {
        private final Path dir;
        private final String madeFrom;
        private final String browsersMadeFrom;
        private final boolean trustCurrent;
        private final boolean browsersCurrent;

        private Slot(Path dir, String madeFrom, String browsersMadeFrom, boolean trustCurrent, boolean browsersCurrent) {
            this.dir = dir;
            this.madeFrom = madeFrom;
            this.browsersMadeFrom = browsersMadeFrom;
            this.trustCurrent = trustCurrent;
            this.browsersCurrent = browsersCurrent;
        }

        public Path dir() {
            return dir;
        }

        /** When the slot's CA expires. */
        public Instant expires() {
            return expiryOf(dir).orElseThrow();
        }

        public ChildTrust trust() {
            return ChildTrust.in(dir);
        }

        /** Whether the trust files are filled and current: the child may start before the CA is loaded. */
        public boolean ready() {
            return trustCurrent && browsersCurrent;
        }

        /**
         * The CA, made and saved first if the slot is new, with the trust files (re)written unless
         * {@link #ready()}. Throws {@link IllegalStateException} with a message fit for the user.
         */
        public CertificateAuthority authority(Instant now) {
            try {
                Path keyFile = dir.resolve("ca.key");
                CertificateAuthority ca;
                if (Files.isRegularFile(keyFile)) {
                    ca = loadOrDiscard(dir);
                } else {
                    ca = CertificateAuthority.create(now, Duration.between(now, expiryOf(dir).orElseThrow()));
                    trust().write(ca);
                    Files.writeString(keyFile, ca.privateKeyPem(), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    Files.setPosixFilePermissions(keyFile, KEY_FILE);
                }
                if (!trustCurrent) {
                    trust().write(ca);
                    Files.writeString(dir.resolve(MADE_FROM), madeFrom, StandardCharsets.UTF_8);
                }
                if (!browsersCurrent) {
                    trust().writeBrowsers();
                    Files.writeString(dir.resolve(BROWSERS_MADE_FROM), browsersMadeFrom, StandardCharsets.UTF_8);
                }
                return ca;
            } catch (IOException e) {
                throw new IllegalStateException("cannot keep the CA in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The CA kept in {@code dir}. One that cannot be read (a damaged or emptied file) is removed with its
     * directory, and {@link IllegalStateException} says so: the store is a cache, so the next run makes a
     * new CA instead of failing alike (an early-start plan made from the directory misses once it is gone).
     */
    public static CertificateAuthority loadOrDiscard(Path dir) {
        try {
            return CertificateAuthority.load(Files.readString(dir.resolve("ca.key"), StandardCharsets.US_ASCII),
                    Files.readString(ChildTrust.in(dir).caCertificate(), StandardCharsets.US_ASCII));
        } catch (IOException | IllegalStateException e) {
            String fate = discard(dir) ? "removed it; the next run makes a new one" : "could not remove it";
            // CertificateAuthority's own message begins as this one does: its cause says what was wrong.
            String reason = e instanceof IllegalStateException && e.getCause() != null ? e.getCause().getMessage() : e.toString();
            throw new IllegalStateException("cannot read the kept CA in " + dir + " (" + reason + "): " + fate, e);
        }
    }

    private static boolean discard(Path dir) {
        try {
            DirectoryTree.delete(dir);
            return Files.notExists(dir);
        } catch (IOException e) {
            return false;
        }
    }

    /** The expiry a slot's name begins with, or empty for anything that is not a slot. */
    static Optional<Instant> expiryOf(Path dir) {
        String name = dir.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash < 1 || !name.substring(0, dash).chars().allMatch(Character::isDigit) || dash > 12) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(name.substring(0, dash))));
    }

    private static boolean holdsPemKey(Path dir) throws IOException {
        byte[] key = Files.readAllBytes(dir.resolve("ca.key"));
        byte[] header = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
        return key.length > header.length && Arrays.equals(key, 0, header.length, header, 0, header.length);
    }

    private static boolean abandoned(Path dir, Instant now) throws IOException {
        return Files.getLastModifiedTime(dir).toInstant().isBefore(now.minus(ABANDONED_AFTER));
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static void ownerOnlyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have taken some away
    }
}
