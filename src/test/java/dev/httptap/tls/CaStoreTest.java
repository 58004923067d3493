package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.files.DirectoryTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept CA's slots, at chosen instants: every decision takes {@code now} from the caller. */
class CaStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String MADE_FROM = "5 1 /etc/ssl/certs/ca-certificates.crt\n";

    @TempDir
    Path temp;

    private Path root() {
        return temp.resolve("cache/httptap/ca");
    }

    /** A slot with its CA made and saved at {@code made}. */
    private CaStore.Slot madeSlot(Instant made) throws Exception {
        CaStore.Slot slot = CaStore.in(root()).slot(made, MADE_FROM, "");
        slot.authority(made);
        return slot;
    }

    private List<String> slotNames() throws Exception {
        try (var entries = Files.list(root())) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewSlotIsNamedByItsExpiryAndKeepsAnOwnerOnlyPemKey() throws Exception {
        CaStore.Slot slot = CaStore.in(root()).slot(NOW, MADE_FROM, "");

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(slot.dir())));
        assertTrue(slot.dir().getFileName().toString().matches((NOW.plus(CaStore.VALIDITY).getEpochSecond()) + "-[0-9a-f]{8}"),
                slot.dir().toString());
        assertEquals(NOW.plus(CaStore.VALIDITY), slot.expires());
        assertFalse(slot.ready(), "the trust files are still empty");
        assertEquals(0, Files.size(slot.trust().bundle()));

        CertificateAuthority ca = slot.authority(NOW);

        Path key = slot.dir().resolve("ca.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(slot.expires(), ca.expires());
        assertTrue(Files.readString(slot.trust().bundle(), StandardCharsets.US_ASCII)
                .endsWith(Pem.certificate(ca.certificate())), "the bundle ends with the CA");
        assertEquals(MADE_FROM, Files.readString(slot.dir().resolve("made-from"), StandardCharsets.UTF_8));
    }

    @Test
    void aValidSlotIsUsedAgainWithTheSameCaAndItsTrustFilesReady() throws Exception {
        CaStore.Slot first = madeSlot(NOW);
        Instant later = NOW.plus(Duration.ofDays(20));

        CaStore.Slot again = CaStore.in(root()).slot(later, MADE_FROM, "");

        assertEquals(first.dir(), again.dir());
        assertTrue(again.ready());
        assertEquals(CaStore.loadOrDiscard(first.dir()).certificate(), again.authority(later).certificate());
    }

    @Test
    void changedTrustSourcesKeepTheCaButRewriteTheTrustFiles() throws Exception {
        CaStore.Slot first = madeSlot(NOW);
        Files.writeString(first.trust().bundle(), "stale\n");

        CaStore.Slot again = CaStore.in(root()).slot(NOW, "6 2 /etc/ssl/certs/ca-certificates.crt\n", "");

        assertEquals(first.dir(), again.dir());
        assertFalse(again.ready());
        CertificateAuthority ca = again.authority(NOW);
        assertEquals(CaStore.loadOrDiscard(first.dir()).certificate(), ca.certificate());
        assertNotEquals("stale\n", Files.readString(again.trust().bundle(), StandardCharsets.US_ASCII));
        assertTrue(CaStore.in(root()).slot(NOW, "6 2 /etc/ssl/certs/ca-certificates.crt\n", "").ready());
    }

    /** The browsers' copies are made from other files: a change there leaves the other trust files alone. */
    @Test
    void changedBrowserSourcesRewriteOnlyTheBrowsersCopies() throws Exception {
        CaStore.Slot first = madeSlot(NOW);
        String marked = "# kept\n" + Files.readString(first.trust().bundle(), StandardCharsets.US_ASCII);
        Files.writeString(first.trust().bundle(), marked);

        CaStore.Slot again = CaStore.in(root()).slot(NOW, MADE_FROM, "4 1 /home/u/.pki/nssdb/cert9.db\n");

        assertFalse(again.ready());
        again.authority(NOW);
        assertEquals(marked, Files.readString(again.trust().bundle(), StandardCharsets.US_ASCII));
        assertTrue(CaStore.in(root()).slot(NOW, MADE_FROM, "4 1 /home/u/.pki/nssdb/cert9.db\n").ready());
    }

    /** Chromium's copy of the NSS database deleted by hand: made again, or that browser's trust stays unmounted. */
    @Test
    void aBrowsersCopyDeletedByHandIsMadeAgain() throws Exception {
        CaStore.Slot first = madeSlot(NOW);
        Path nssCopy = first.dir().resolve("nssdb");
        assertTrue(Files.isDirectory(nssCopy), "the test needs HOME set, as every user has");
        DirectoryTree.delete(nssCopy);

        CaStore.Slot again = CaStore.in(root()).slot(NOW, MADE_FROM, "");

        assertFalse(again.ready());
        again.authority(NOW);
        assertTrue(Files.isDirectory(nssCopy), "the copy made again");
        assertTrue(CaStore.in(root()).slot(NOW, MADE_FROM, "").ready());
    }

    @Test
    void lessThanSevenDaysLeftMakesANewSlotAndKeepsTheOldUntilItExpires() throws Exception {
        CaStore.Slot old = madeSlot(NOW);
        Instant stillRenewable = old.expires().minus(CaStore.RENEW_BEFORE).minusSeconds(1);
        Instant renewal = old.expires().minus(CaStore.RENEW_BEFORE).plusSeconds(1);

        assertEquals(old.dir(), CaStore.in(root()).slot(stillRenewable, MADE_FROM, "").dir());
        CaStore.Slot renewed = CaStore.in(root()).slot(renewal, MADE_FROM, "");

        assertNotEquals(old.dir(), renewed.dir());
        assertEquals(renewal.plus(CaStore.VALIDITY), renewed.expires());
        assertTrue(Files.isDirectory(old.dir()), "a run may still use the old CA");
    }

    @Test
    void theNewestValidSlotWins() throws Exception {
        CaStore.Slot older = madeSlot(NOW);
        Instant renewal = older.expires().minus(Duration.ofDays(6));
        CaStore.Slot newer = madeSlot(renewal);

        assertEquals(newer.dir(), CaStore.in(root()).slot(renewal.plusSeconds(60), MADE_FROM, "").dir());
    }

    @Test
    void expiredSlotsAreDeleted() throws Exception {
        CaStore.Slot old = madeSlot(NOW);

        CaStore.Slot next = CaStore.in(root()).slot(old.expires().plusSeconds(1), MADE_FROM, "");

        assertFalse(Files.exists(old.dir()));
        assertEquals(List.of(next.dir().getFileName().toString()), slotNames());
    }

    @Test
    void aSlotWithoutAKeyIsAbandonedAfterAnHourButNotBefore() throws Exception {
        CaStore.Slot halfMade = CaStore.in(root()).slot(NOW, MADE_FROM, "");
        Files.setLastModifiedTime(halfMade.dir(), FileTime.from(NOW));

        CaStore.Slot whileBeingMade = CaStore.in(root()).slot(NOW.plus(Duration.ofMinutes(59)), MADE_FROM, "");
        assertTrue(Files.isDirectory(halfMade.dir()), "another run may be making it");
        assertNotEquals(halfMade.dir(), whileBeingMade.dir(), "a slot without a key is never used");
        Files.setLastModifiedTime(whileBeingMade.dir(), FileTime.from(NOW));

        CaStore.in(root()).slot(NOW.plus(Duration.ofMinutes(61)), MADE_FROM, "");

        assertFalse(Files.exists(halfMade.dir()));
        assertFalse(Files.exists(whileBeingMade.dir()));
    }

    @Test
    void aKeyThisVersionDidNotWriteIsMadeAgainNotMisread() throws Exception {
        CaStore.Slot slot = madeSlot(NOW);
        Files.writeString(slot.dir().resolve("ca.key"), "-----BEGIN EC PRIVATE KEY-----\nnot ours\n");

        CaStore.Slot next = CaStore.in(root()).slot(NOW, MADE_FROM, "");

        assertFalse(Files.exists(slot.dir()));
        assertNotEquals(slot.dir(), next.dir());
    }

    @Test
    void aKeptCaThatCannotBeReadIsRemovedAndTheNextSlotIsNew() throws Exception {
        CaStore.Slot slot = madeSlot(NOW);
        Files.writeString(slot.trust().caCertificate(), "-----BEGIN CERTIFICATE-----\ndamaged\n-----END CERTIFICATE-----\n");
        CaStore.Slot again = CaStore.in(root()).slot(NOW, MADE_FROM, "");
        assertEquals(slot.dir(), again.dir(), "its key looks whole: the slot is chosen");

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> again.authority(NOW));

        assertTrue(failure.getMessage().startsWith("cannot read the kept CA in " + slot.dir() + " ("), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("): removed it; the next run makes a new one"), failure.getMessage());
        assertFalse(Files.exists(slot.dir()));
        assertNotEquals(slot.dir(), CaStore.in(root()).slot(NOW, MADE_FROM, "").dir());
    }

    @Test
    void trustFilesDamagedSinceTheyWereWrittenAreWrittenAgain() throws Exception {
        CaStore.Slot slot = madeSlot(NOW);
        byte[] bundle = Files.readAllBytes(slot.trust().bundle());
        Files.write(slot.trust().bundle(), new byte[0]);
        Files.write(slot.trust().javaTrustStore(), new byte[0]);

        CaStore.Slot again = CaStore.in(root()).slot(NOW, MADE_FROM, "");
        assertEquals(slot.dir(), again.dir());
        assertFalse(again.ready(), "the sources did not change, but the files did");
        again.authority(NOW);

        assertArrayEquals(bundle, Files.readAllBytes(again.trust().bundle()));
        assertTrue(Files.size(again.trust().javaTrustStore()) > 0);
        assertTrue(CaStore.in(root()).slot(NOW, MADE_FROM, "").ready());
    }

    @Test
    void aKeptCaWhoseKeyWasEmptiedIsRemovedWhenLoaded() throws Exception {
        CaStore.Slot slot = madeSlot(NOW);
        Files.writeString(slot.dir().resolve("ca.key"), "");

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> CaStore.loadOrDiscard(slot.dir()));

        assertTrue(failure.getMessage().contains("(no PRIVATE KEY in the PEM text)"), failure.getMessage());
        assertFalse(Files.exists(slot.dir()));
    }

    @Test
    void entriesThatAreNotSlotsAreLeftAlone() throws Exception {
        Files.createDirectories(root());
        Path notes = Files.createDirectory(root().resolve("notes"));
        Path dashed = Files.createDirectory(root().resolve("x-1"));
        Path tooLong = Files.createDirectory(root().resolve("1234567890123-ab"));
        Files.setLastModifiedTime(tooLong, FileTime.from(NOW.minus(Duration.ofDays(400))));

        CaStore.in(root()).slot(NOW, MADE_FROM, "");

        assertTrue(Files.isDirectory(notes));
        assertTrue(Files.isDirectory(dashed));
        assertTrue(Files.isDirectory(tooLong));
    }
}
