package dev.httptap.tls;

import dev.httptap.files.DirectoryTree;
import dev.httptap.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes browsers trust the run's CA, which read neither the system bundle nor the JDK's store: Chromium
 * trusts the roots added to the user's NSS database ({@code ~/.pki/nssdb}), Firefox the certificates its
 * enterprise policy ({@code policies.json}) installs. Both are given copies, made in the CA's directory and
 * meant to be mounted over the originals inside the command's view only: an NSS database with the user's
 * entries and the CA, and each directory Firefox reads its policy from with the CA and a policy that adds
 * it to the user's own. The user's files never change.
 */
public final class BrowserTrust {
    /** Command names of Chromium and the browsers built on it, which read {@code ~/.pki/nssdb}. */
    public static final Set<String> CHROMIUM_NAMES = Set.of("chromium", "chromium-browser", "chrome", "google-chrome",
            "google-chrome-stable", "google-chrome-beta", "google-chrome-unstable", "chrome-headless-shell",
            "brave-browser", "microsoft-edge", "microsoft-edge-stable", "vivaldi", "opera");
    /**
     * Where Firefox reads {@code policies.json}: the system directory, read first when it holds one, and the
     * {@code distribution} directory of each installation (Debian's firefox-esr, Mozilla's tarball, Fedora's).
     */
    static final Path FIREFOX_SYSTEM_POLICIES = Path.of("/etc/firefox/policies");
    static final List<Path> FIREFOX_DISTRIBUTIONS = List.of(Path.of("/usr/lib/firefox-esr/distribution"),
            Path.of("/usr/lib/firefox/distribution"), Path.of("/usr/lib64/firefox/distribution"),
            Path.of("/opt/firefox/distribution"));
    static final String POLICIES = "policies.json";
    static final String CA_FILE = "httptap-ca.crt";
    private static final String NSS_COPY = "nssdb";

    private final Path dir;

    private BrowserTrust(Path dir) {
        this.dir = dir;
    }

    /** The copies kept in {@code dir}. */
    public static BrowserTrust in(Path dir) {
        return new BrowserTrust(dir);
    }

    /** Where Chromium reads its NSS database: {@code $HOME/.pki/nssdb}. */
    public static Optional<Path> nssDatabase() {
        String home = System.getenv("HOME");
        return home != null && home.startsWith("/") ? Optional.of(Path.of(home, ".pki", "nssdb")) : Optional.empty();
    }

    /**
     * The files the copies are made from (those that do not exist too, whose appearance counts): the user's
     * NSS database and Firefox's policy directories with their policies.
     */
    public static List<Path> sources() {
        List<Path> sources = new ArrayList<>();
        nssDatabase().ifPresent(db -> NssDatabase.FILES.forEach(name -> sources.add(db.resolve(name))));
        Stream.concat(Stream.of(FIREFOX_SYSTEM_POLICIES), FIREFOX_DISTRIBUTIONS.stream()).forEach(policyDir -> {
            sources.add(policyDir);
            sources.add(policyDir.resolve(POLICIES));
        });
        return sources;
    }

    /**
     * What to mount, each copy's directory made (empty) if missing so that it can be mounted before it is
     * filled: the NSS database over {@link #nssDatabase()} (skipped by the helper where that does not
     * exist), and a copy of each Firefox policy directory that exists.
     */
    public Map<Path, Path> prepareMounts() throws IOException {
        Map<Path, Path> mounts = new LinkedHashMap<>();
        if (nssDatabase().isPresent()) {
            mounts.put(directory(dir.resolve(NSS_COPY), "rwx------"), nssDatabase().get());
        }
        for (Path policyDir : firefoxPolicyDirs()) {
            mounts.put(directory(copyOf(policyDir), "rwxr-xr-x"), policyDir);
        }
        return mounts;
    }

    /**
     * Fills the copies for the CA in {@code caPem}. Without certutil, the NSS database holds the user's own
     * entries only, and one line says what to install when a Chromium browser is there to need it.
     */
    public void write(Path caPem) throws IOException {
        prepareMounts();
        Optional<Path> certutil = onPath("certutil");
        if (nssDatabase().isPresent()) {
            Optional<Path> userDatabase = nssDatabase().filter(Files::isDirectory);
            Path staging = staging();
            try {
                if (certutil.isPresent()) {
                    NssDatabase.write(certutil.get(), staging, userDatabase, caPem);
                } else {
                    NssDatabase.copyUserDatabase(staging, userDatabase);
                    if (CHROMIUM_NAMES.stream().anyMatch(name -> onPath(name).isPresent())) {
                        Log.error("Chromium will not trust httptap's CA: certutil is missing (install libnss3-tools on"
                                + " Debian/Ubuntu, nss-tools on Fedora)");
                    }
                }
                replaceContents(dir.resolve(NSS_COPY), staging);
            } finally {
                DirectoryTree.delete(staging);
            }
        }
        for (Path policyDir : firefoxPolicyDirs()) {
            Path staging = staging();
            try {
                writePolicyCopy(policyDir, staging, caPem);
                replaceContents(copyOf(policyDir), staging);
            } finally {
                DirectoryTree.delete(staging);
            }
        }
    }

    /**
     * Whether the copies {@link #write} made are still there: the NSS database's directory, with its
     * certificate file wherever certutil or the user's own database gave it one, and each Firefox policy
     * copy's policy. A copy deleted by hand is then made again, instead of that browser's trust staying
     * unmounted until the CA is renewed.
     */
    public boolean intact() {
        Optional<Path> userDatabase = nssDatabase();
        if (userDatabase.isPresent()) {
            Path copy = dir.resolve(NSS_COPY);
            boolean filled = onPath("certutil").isPresent()
                    || Files.isRegularFile(userDatabase.get().resolve(NssDatabase.CERTIFICATES));
            if (!Files.isDirectory(copy) || filled && !Files.isRegularFile(copy.resolve(NssDatabase.CERTIFICATES))) {
                return false;
            }
        }
        return firefoxPolicyDirs().stream().allMatch(policyDir -> Files.isRegularFile(copyOf(policyDir).resolve(POLICIES)));
    }

    /**
     * A new directory beside the copies, where one is made before it replaces the mounted one's content:
     * another run may be using the copy (or making it, for the same CA) meanwhile.
     */
    private Path staging() throws IOException {
        return Files.createTempDirectory(dir, ".staging");
    }

    /**
     * Moves what {@code staging} holds into {@code target} (the same directory: it may be mounted already),
     * each entry replacing its namesake in one step, and removes what {@code target} held besides.
     */
    private static void replaceContents(Path target, Path staging) throws IOException {
        Set<Path> names = new HashSet<>();
        try (Stream<Path> entries = Files.list(staging)) {
            for (Path entry : entries.toList()) {
                Path destination = target.resolve(entry.getFileName());
                names.add(entry.getFileName());
                if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
                    DirectoryTree.delete(destination);
                }
                Files.move(entry, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> entries = Files.list(target)) {
            for (Path stale : entries.filter(entry -> !names.contains(entry.getFileName())).toList()) {
                DirectoryTree.delete(stale);
            }
        }
    }

    /** The policy directories that exist here, each once (links resolved); the system one only when it holds a policy. */
    private static List<Path> firefoxPolicyDirs() {
        List<Path> dirs = new ArrayList<>();
        if (Files.isRegularFile(FIREFOX_SYSTEM_POLICIES.resolve(POLICIES))) {
            dirs.add(FIREFOX_SYSTEM_POLICIES);
        }
        dirs.addAll(ChildTrust.existingReal(FIREFOX_DISTRIBUTIONS, Files::isDirectory));
        return dirs;
    }

    /** The copy of {@code policyDir} in the CA's directory, named after its path. */
    private Path copyOf(Path policyDir) {
        return dir.resolve("firefox" + policyDir.toString().replace('/', '_'));
    }

    /** The directory's entries (but its policy), the CA, and the policy with the CA added. */
    private static void writePolicyCopy(Path policyDir, Path copy, Path caPem) throws IOException {
        try (Stream<Path> entries = Files.walk(policyDir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Path relative = policyDir.relativize(entry);
                if (relative.toString().isEmpty() || relative.toString().equals(POLICIES)) {
                    continue;
                }
                Files.copy(entry, copy.resolve(relative.toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
            }
        }
        Files.copy(caPem, copy.resolve(CA_FILE));
        Files.setPosixFilePermissions(copy.resolve(CA_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        Path policy = policyDir.resolve(POLICIES);
        Optional<String> existing = Files.isRegularFile(policy)
                ? Optional.of(Files.readString(policy, StandardCharsets.UTF_8))
                : Optional.empty();
        Files.writeString(copy.resolve(POLICIES),
                FirefoxPolicies.withInstalledCa(existing, policyDir.resolve(CA_FILE).toString()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(copy.resolve(POLICIES), PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** The executable {@code name} in a directory of $PATH, if there is one. */
    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        return Stream.of((path == null ? "" : path).split(":"))
                .filter(pathDir -> !pathDir.isEmpty())
                .map(pathDir -> Path.of(pathDir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Path directory(Path path, String permissions) throws IOException {
        if (!Files.isDirectory(path)) {
            Files.createDirectory(path);
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }
}
