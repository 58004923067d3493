package dev.httptap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version and the commit the build wrote into {@code version.properties} (src/build/commit.sh). */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties build = properties();
        return new String[] {"httptap " + build.getProperty("version", "unknown") + " (" + commit(build) + ")"};
    }

    /** The version alone, e.g. "0.1.0", or "unknown". */
    static String number() throws IOException {
        return properties().getProperty("version", "unknown");
    }

    /** "commit 0123456789ab", ", modified" when the tree differed from it, or "unknown commit" (no git). */
    static String commit(Properties build) {
        String hash = build.getProperty("commit", "");
        if (hash.isEmpty() || hash.startsWith("${")) {
            return "unknown commit";
        }
        return "commit " + hash + ("true".equals(build.getProperty("modified")) ? ", modified" : "");
    }

    private static Properties properties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/httptap/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return properties;
    }
}
