package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionTest {
    private static Properties build(String commit, String modified) {
        Properties build = new Properties();
        build.setProperty("commit", commit);
        build.setProperty("modified", modified);
        return build;
    }

    @Test
    void aCleanTreeNamesItsCommit() {
        assertEquals("commit 0123456789ab", Version.commit(build("0123456789ab", "false")));
    }

    @Test
    void aDirtyTreeSaysModified() {
        assertEquals("commit 0123456789ab, modified", Version.commit(build("0123456789ab", "true")));
    }

    @Test
    void noGitSaysUnknownCommit() {
        assertEquals("unknown commit", Version.commit(build("", "false")));
        assertEquals("unknown commit", Version.commit(new Properties()));
    }

    @Test
    void anUnfilteredPlaceholderIsNoCommit() {
        assertEquals("unknown commit", Version.commit(build("${commit}", "${modified}")));
    }

    @Test
    void theBuiltVersionLineNamesACommitOrSaysUnknown() throws Exception {
        String line = new Version().getVersion()[0];
        assertTrue(line.matches("httptap \\S+ \\((commit [0-9a-f]{12}(, modified)?|unknown commit)\\)"), line);
    }
}
