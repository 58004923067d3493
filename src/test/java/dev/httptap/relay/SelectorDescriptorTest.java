package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** If a JDK renames the field, this fails: the relay would silently fall back to its reader thread. */
class SelectorDescriptorTest {
    @Test
    void findsTheEpollInstanceBehindTheJdksSelector() throws IOException {
        try (Selector selector = Selector.open()) {
            OptionalInt epoll = SelectorDescriptor.epollOf(selector);

            assertTrue(epoll.isPresent(), "the JDK's selector hides its epoll descriptor");
            Path link = Path.of("/proc/self/fd/" + epoll.getAsInt());
            assertEquals("anon_inode:[eventpoll]", Files.readSymbolicLink(link).toString());
        }
    }
}
