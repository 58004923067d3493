package dev.httptap.relay;

import java.lang.reflect.Field;
import java.nio.channels.Selector;
import java.util.OptionalInt;

/**
 * The epoll instance behind a JDK selector on Linux ({@code sun.nio.ch.EPollSelectorImpl.epfd}), which the
 * jar's manifest opens to httptap (Add-Opens). With it the relay's one thread can wait for the TUN device and
 * its sockets in the same system call; where the JDK has no such field, or does not open it, there is none.
 */
final class SelectorDescriptor {
    private SelectorDescriptor() {}

    static OptionalInt epollOf(Selector selector) {
        try {
            Field field = selector.getClass().getDeclaredField("epfd");
            field.setAccessible(true);
            return OptionalInt.of(field.getInt(selector));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return OptionalInt.empty(); // RuntimeException: InaccessibleObjectException without the opening
        }
    }
}
