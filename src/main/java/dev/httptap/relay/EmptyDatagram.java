package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.stack.FlowId;
import dev.httptap.tun.Native;
import java.lang.reflect.Method;
import java.nio.channels.DatagramChannel;

/**
 * Sends an empty UDP datagram, which Java 17's {@link DatagramChannel} cannot: its send and write return 0
 * without a system call. Here send(2) is called with length 0 on the channel's own descriptor, found
 * through the JDK's internal {@code sun.nio.ch.SelChImpl} interface; the jar's manifest exports that
 * package (Add-Exports). Without the export the datagram is dropped as before, and that is said once.
 */
final class EmptyDatagram {
    private static final Method DESCRIPTOR = descriptorMethod();
    private static boolean failureReported;

    private EmptyDatagram() {}

    /** Sends an empty datagram on the connected {@code channel}; failures are only logged. */
    static void send(DatagramChannel channel, FlowId flow) {
        int fd;
        try {
            fd = (int) DESCRIPTOR.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            reportOnce("cannot send an empty UDP datagram on this JVM (run httptap from its jar): " + e);
            return;
        }
        if (Native.libc().send(fd, null, 0, 0) < 0) {
            Log.verbose("%s: sending an empty datagram: %s", flow, Native.lastErrorText());
        }
    }

    private static Method descriptorMethod() {
        try {
            return Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        } catch (ReflectiveOperationException e) {
            return null; // reported at first use: invoking null fails like a missing export
        }
    }

    private static synchronized void reportOnce(String message) {
        if (!failureReported) {
            failureReported = true;
            Log.error("%s", message);
        } else {
            Log.verbose("%s", message);
        }
    }
}
