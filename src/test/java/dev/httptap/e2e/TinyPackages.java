package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One tiny package per package manager, and the repository files that publish it, laid out under the
 * served directory ("site") of a {@link RepositoryServer}: a bare git repository, an npm registry, a PEP
 * 503 index, a Maven repository and an apt flat repository. Each is made with the ecosystem's own tool
 * where there is one on the machine (git, npm pack, dpkg-deb), else written as its format says (a wheel,
 * a jar, the registry and index documents).
 */
final class TinyPackages {
    static final String NAME = "tiny-httptap";
    static final String README = "hello from " + NAME + "\n";
    /** Keeps the user's git configuration out of every git the tests run. */
    static final List<String> GIT_ENVIRONMENT = List.of("GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
            "GIT_AUTHOR_NAME=tests", "GIT_AUTHOR_EMAIL=tests@httptap.invalid",
            "GIT_COMMITTER_NAME=tests", "GIT_COMMITTER_EMAIL=tests@httptap.invalid");

    static final String NPM_TARBALL = "tarballs/" + NAME + "-1.0.0.tgz";
    static final String WHEEL = "files/tiny_httptap-1.0-py3-none-any.whl";
    static final String MAVEN_ARTIFACT = "test.httptap:tiny:1.0";
    static final String MAVEN_JAR = "maven/test/httptap/tiny/1.0/tiny-1.0.jar";
    static final String DEB = "apt/" + NAME + "_1.0_all.deb";

    private TinyPackages() {}

    /** site/repo.git, a bare repository whose main branch has one commit (README), ready for dumb HTTP too. */
    static void gitRepository(Path dir, Path site) throws IOException {
        Path seed = dir.resolve("seed");
        Files.createDirectories(seed);
        Files.writeString(seed.resolve("README"), README);
        shell(dir, "git init -q --bare -b main site/repo.git"
                + " && git -C seed init -q -b main && git -C seed add README && git -C seed commit -qm seed"
                + " && git -C seed push -q ../site/repo.git main && git -C site/repo.git update-server-info");
    }

    /** site/tarballs/tiny-httptap-1.0.0.tgz, packed by npm itself; returns its bytes. */
    static byte[] npmTarball(Path dir, Path site) throws IOException {
        Path source = dir.resolve("npm-package");
        Files.createDirectories(source);
        Files.writeString(source.resolve("package.json"),
                "{\"name\": \"" + NAME + "\", \"version\": \"1.0.0\", \"main\": \"index.js\", \"license\": \"MIT\"}\n");
        Files.writeString(source.resolve("index.js"), "module.exports = " + quoted(README) + ";\n");
        Files.createDirectories(site.resolve("tarballs"));
        shell(dir, "npm pack -q --cache npm-pack-cache --pack-destination site/tarballs ./npm-package >/dev/null");
        return Files.readAllBytes(site.resolve(NPM_TARBALL));
    }

    /**
     * The registry's package document (packument) at site/tiny-httptap, naming the tarball under
     * {@code base}: npm fetches the URL the document gives, so each route gets its own.
     */
    static void npmPackument(Path site, String base, byte[] tarball) throws IOException {
        String version = "{\"name\":\"" + NAME + "\",\"version\":\"1.0.0\",\"main\":\"index.js\",\"dist\":{"
                + "\"tarball\":\"" + base + "/" + NPM_TARBALL + "\","
                + "\"shasum\":\"" + HexFormat.of().formatHex(digest("SHA-1", tarball)) + "\","
                + "\"integrity\":\"sha512-" + Base64.getEncoder().encodeToString(digest("SHA-512", tarball)) + "\"}}";
        Files.writeString(site.resolve(NAME), "{\"name\":\"" + NAME + "\",\"dist-tags\":{\"latest\":\"1.0.0\"},"
                + "\"versions\":{\"1.0.0\":" + version + "}}\n");
    }

    /** site/files/tiny_httptap-1.0-py3-none-any.whl and its PEP 503 page, site/simple/tiny-httptap/index.html. */
    static byte[] wheel(Path site) throws IOException {
        String info = "tiny_httptap-1.0.dist-info/";
        byte[] wheel = zip(Map.of(
                "tiny_httptap/__init__.py", "GREETING = " + quoted(README) + "\n",
                info + "METADATA", "Metadata-Version: 2.1\nName: " + NAME + "\nVersion: 1.0\n",
                info + "WHEEL", "Wheel-Version: 1.0\nGenerator: httptap-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
                info + "RECORD", "tiny_httptap/__init__.py,,\n" + info + "METADATA,,\n" + info + "WHEEL,,\n" + info + "RECORD,,\n"));
        write(site.resolve(WHEEL), wheel);
        String file = Path.of(WHEEL).getFileName().toString();
        write(site.resolve("simple/" + NAME + "/index.html"), ("<!DOCTYPE html>\n<html><body>\n<a href=\"../../files/"
                + file + "#sha256=" + HexFormat.of().formatHex(digest("SHA-256", wheel)) + "\">" + file + "</a>\n</body></html>\n")
                .getBytes(StandardCharsets.UTF_8));
        return wheel;
    }

    /** test.httptap:tiny:1.0 (pom and jar, each with its .sha1 as Maven checks it) under site/maven. */
    static byte[] mavenArtifact(Path site) throws IOException {
        byte[] jar = zip(Map.of("test/httptap/tiny.txt", README));
        byte[] pom = ("<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>test.httptap</groupId><artifactId>tiny</artifactId><version>1.0</version></project>\n")
                .getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> file : Map.of(MAVEN_JAR, jar, MAVEN_JAR.replace(".jar", ".pom"), pom).entrySet()) {
            write(site.resolve(file.getKey()), file.getValue());
            write(site.resolve(file.getKey() + ".sha1"),
                    HexFormat.of().formatHex(digest("SHA-1", file.getValue())).getBytes(StandardCharsets.US_ASCII));
        }
        return jar;
    }

    /**
     * A project that loads test.httptap:tiny:1.0 as a core extension (.mvn/extensions.xml), in {@code projectDir},
     * and a settings file beside it whose mirror of every repository is {@code base}/maven/. Maven resolves
     * core extensions before anything else, so even {@code mvn validate} fetches the artifact, needing no plugin
     * (a plugin would have to be served too, with all it depends on).
     */
    static Path mavenProject(Path projectDir, String base) throws IOException {
        Files.createDirectories(projectDir.resolve(".mvn"));
        Files.writeString(projectDir.resolve(".mvn/extensions.xml"), "<extensions><extension><groupId>test.httptap</groupId>"
                + "<artifactId>tiny</artifactId><version>1.0</version></extension></extensions>\n");
        Files.writeString(projectDir.resolve("settings.xml"), "<settings><mirrors><mirror><id>tests</id>"
                + "<mirrorOf>*</mirrorOf><url>" + base + "/maven/</url></mirror></mirrors></settings>\n");
        return Files.writeString(projectDir.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>test.httptap</groupId><artifactId>user</artifactId><version>1</version>"
                + "<packaging>pom</packaging></project>\n");
    }

    /** site/apt: tiny-httptap_1.0_all.deb built by dpkg-deb, and the Packages and Release files of a flat repository. */
    static byte[] debian(Path dir, Path site) throws IOException {
        Path source = dir.resolve("deb-package");
        String control = "Package: " + NAME + "\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: httptap tests <tests@httptap.invalid>\nDescription: a package for httptap's tests\n";
        write(source.resolve("DEBIAN/control"), control.getBytes(StandardCharsets.UTF_8));
        write(source.resolve("usr/share/doc/" + NAME + "/README"), README.getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(site.resolve("apt"));
        shell(dir, "dpkg-deb --root-owner-group -Zgzip -b deb-package site/" + DEB + " >/dev/null");
        byte[] deb = Files.readAllBytes(site.resolve(DEB));
        byte[] packages = (control + "Filename: " + Path.of(DEB).getFileName() + "\nSize: " + deb.length
                + "\nSHA256: " + HexFormat.of().formatHex(digest("SHA-256", deb)) + "\n").getBytes(StandardCharsets.UTF_8);
        write(site.resolve("apt/Packages"), packages);
        String date = ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT));
        write(site.resolve("apt/Release"), ("Date: " + date + "\nSHA256:\n " + HexFormat.of().formatHex(digest("SHA-256", packages))
                + " " + packages.length + " Packages\n").getBytes(StandardCharsets.UTF_8));
        return deb;
    }

    /**
     * An apt configuration (for APT_CONFIG) whose only source is the flat repository at {@code base}/apt/, with
     * its lists, caches and dpkg status under {@code aptDir}: nothing of the machine's. {@code caFile}: the CA
     * its https method trusts instead of the system's, or null.
     */
    static Path aptConfiguration(Path aptDir, String base, Path caFile) throws IOException {
        Files.createDirectories(aptDir.resolve("etc/apt.conf.d"));
        Files.createDirectories(aptDir.resolve("etc/preferences.d"));
        Files.createDirectories(aptDir.resolve("state/lists/partial"));
        Files.createDirectories(aptDir.resolve("cache/archives/partial"));
        Files.writeString(aptDir.resolve("etc/sources.list"), "deb [trusted=yes] " + base + "/apt/ ./\n");
        Files.writeString(aptDir.resolve("status"), "");
        return Files.writeString(aptDir.resolve("apt.conf"), "Dir::Etc \"" + aptDir.resolve("etc") + "/\";\n"
                + "Dir::State \"" + aptDir.resolve("state") + "/\";\n"
                + "Dir::State::status \"" + aptDir.resolve("status") + "\";\n"
                + "Dir::Cache \"" + aptDir.resolve("cache") + "/\";\n"
                + "Dir::Log \"" + aptDir.resolve("log") + "/\";\n"
                + "Acquire::Languages \"none\";\n"
                + (caFile == null ? "" : "Acquire::https::CaInfo \"" + caFile + "\";\n"));
    }

    /** Runs a setup script in {@code dir}, outside httptap; it must succeed. */
    static void shell(Path dir, String script) {
        List<String> command = new ArrayList<>(List.of("env"));
        command.addAll(GIT_ENVIRONMENT);
        command.addAll(List.of("sh", "-c", "cd \"$1\" && " + script, "sh", dir.toString()));
        ProcessRun run = RunningCommand.run(E2eSettings.runTimeout(), command);
        assertEquals(0, run.exitCode(), run::describe);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : new TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
