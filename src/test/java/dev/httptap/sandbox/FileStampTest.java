package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampTest {
    /** A modification time with nanoseconds, which native-helper/plan.c compares to the last digit. */
    private static final Instant MODIFIED = Instant.ofEpochSecond(1_700_000_000L, 123_456_789L);

    @TempDir
    Path temp;

    @Test
    void aFileIsStampedWithItsSizeAndNanosecondModificationTime() throws Exception {
        Path file = Files.writeString(temp.resolve("bundle.crt"), "12345");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));

        FileStamp stamp = FileStamp.of(file);

        assertEquals(new FileStamp(file, 5, 1_700_000_000_123_456_789L, true), stamp);
        assertEquals("5 1700000000123456789 " + file, stamp.text());
    }

    @Test
    void aMissingFileIsStampedAbsent() {
        Path missing = temp.resolve("jssecacerts");

        FileStamp stamp = FileStamp.of(missing);

        assertFalse(stamp.exists());
        assertEquals("absent 0 " + missing, stamp.text());
    }

    @Test
    void theTextReadsBackToTheSameStampEvenWithSpacesInThePath() throws Exception {
        Path file = Files.writeString(temp.resolve("a name with spaces"), "x");
        FileStamp stamp = FileStamp.of(file);

        assertEquals(stamp, FileStamp.parse(stamp.text()));
        FileStamp absent = FileStamp.of(temp.resolve("gone away"));
        assertEquals(absent, FileStamp.parse(absent.text()));
    }

    @Test
    void aPathWithALineEndHasNoText() {
        assertNull(FileStamp.of(temp.resolve("two\nlines")).text());
        assertNull(FileStamp.of(temp.resolve("carriage\rreturn")).text());
    }

    @Test
    void anythingButAStampIsRefused() {
        for (String text : new String[] {"", "5 7", "5 7 ", "five 7 /x", "5 seven /x", "absent /x"}) {
            assertThrows(IllegalArgumentException.class, () -> FileStamp.parse(text), text);
        }
    }

    @Test
    void aChangeOfSizeTimeOrExistenceIsSeen() throws Exception {
        Path file = Files.writeString(temp.resolve("cacerts"), "abc");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        FileStamp stamp = FileStamp.of(file);
        assertTrue(stamp.unchanged());

        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusNanos(1)));
        assertFalse(stamp.unchanged(), "one nanosecond later");

        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        Files.writeString(file, "abcd");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        assertFalse(stamp.unchanged(), "a byte more, same time");

        Files.delete(file);
        assertFalse(stamp.unchanged(), "deleted");
        FileStamp absent = FileStamp.of(file);
        assertTrue(absent.unchanged());
        Files.writeString(file, "");
        assertFalse(absent.unchanged(), "appeared");
    }

    @Test
    void symbolicLinksAreFollowedAsStatDoes() throws Exception {
        Path target = Files.writeString(temp.resolve("target"), "seven b");
        Path link = Files.createSymbolicLink(temp.resolve("link"), target);

        assertEquals(7, FileStamp.of(link).size());
    }
}
