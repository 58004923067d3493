package dev.httptap.tun;

import com.kenai.jffi.MemoryIO;
import dev.httptap.log.Log;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The TUN device's descriptor as a {@link PacketDevice}: each readv(2) is one IP packet, each writev(2)
 * injects one, both after a {@link VirtioNetHeader} (the helper opens the device with IFF_VNET_HDR), which
 * lets TCP segments go out with the checksum left to the kernel ({@link #completesTcpChecksums}).
 *
 * <p>A blocking read on a TUN descriptor never returns once the child has exited, and closing the
 * descriptor from another thread does not wake it. So the descriptor is non-blocking, and a read with
 * nothing queued waits in poll(2) on the descriptor together with an eventfd that {@link #close()}
 * signals: shutdown is immediate. A read-write lock keeps close() from freeing the descriptor number
 * while another thread is still using it.
 *
 * <p>Reads are meant for one reader thread (the poll set and read header are reused); writes may come from
 * any thread, one at a time. Buffers must be direct: the kernel reads and writes them in place.
 */
public final class TunDevice implements PacketDevice {
    private static final int POLLFD_BYTES = 8;
    private static final int IOVEC_BYTES = 16;
    private static final int EPOLL_EVENT_BYTES = 16;
    private static final MethodHandle BUFFER_ADDRESS = bufferAddress();

    private final LibC libc = Native.libc();
    private final int fd;
    private final int wakeFd;
    private final Pointer pollSet;
    /** Two iovecs, the header's and the packet's, and the header itself: one set for reads, one for writes. */
    private final Pointer readVector;
    private final Pointer readHeader;
    private final Pointer writeVector;
    private final Pointer writeHeader;
    private final ReentrantReadWriteLock useLock = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final AtomicLong packetsRead = new AtomicLong();
    private final AtomicLong packetsWritten = new AtomicLong();
    private final AtomicLong droppedWrites = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    /** What the last packet read says of its checksum (read on one thread: the relay's). */
    private boolean lastReadChecksumTrusted;

    /** Takes ownership of {@code fd}, an open TUN (or any packet) descriptor, and makes it non-blocking. */
    public TunDevice(int fd) throws IOException {
        this.fd = fd;
        int flags = libc.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || libc.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
            throw new IOException("cannot make the TUN descriptor non-blocking: " + Native.lastErrorText());
        }
        wakeFd = libc.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            throw new IOException("cannot create an eventfd for the TUN reader: " + Native.lastErrorText());
        }
        pollSet = Memory.allocateDirect(Native.runtime(), 2 * POLLFD_BYTES);
        pollSet.putInt(0, fd);
        pollSet.putShort(4, (short) LibC.POLLIN);
        pollSet.putInt(POLLFD_BYTES, wakeFd);
        pollSet.putShort(POLLFD_BYTES + 4, (short) LibC.POLLIN);
        readHeader = Memory.allocateDirect(Native.runtime(), VirtioNetHeader.LENGTH, true);
        readVector = headerThenPacket(readHeader);
        writeHeader = Memory.allocateDirect(Native.runtime(), VirtioNetHeader.LENGTH, true);
        writeVector = headerThenPacket(writeHeader);
    }

    /** An iovec pair whose first entry is {@code header}; the second is set per packet by {@link #setPacket}. */
    private static Pointer headerThenPacket(Pointer header) {
        Pointer vector = Memory.allocateDirect(Native.runtime(), 2 * IOVEC_BYTES, true);
        vector.putAddress(0, header.address());
        vector.putLong(8, VirtioNetHeader.LENGTH);
        return vector;
    }

    /** Points the vector's second iovec at {@code buffer}'s bytes from its position to its limit. */
    private static void setPacket(Pointer vector, ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("the TUN device reads and writes direct buffers only");
        }
        vector.putAddress(IOVEC_BYTES, address(buffer) + buffer.position());
        vector.putLong(IOVEC_BYTES + 8, buffer.remaining());
    }

    /**
     * A direct buffer's address, read through the JDK's {@code sun.nio.ch.DirectBuffer} (exported to httptap
     * by the jar's manifest), which the JIT turns into a field load; jffi's way is a JNI call, ~0.3 us of the
     * relay thread per packet in a keep-alive profile. Without the export (a JVM not started from the jar), jffi's.
     */
    private static long address(ByteBuffer buffer) {
        if (BUFFER_ADDRESS != null) {
            try {
                return (long) BUFFER_ADDRESS.invokeExact(buffer);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read a direct buffer's address", e);
            }
        }
        return MemoryIO.getInstance().getDirectBufferAddress(buffer);
    }

    private static MethodHandle bufferAddress() {
        try {
            Method address = Class.forName("sun.nio.ch.DirectBuffer").getMethod("address");
            return MethodHandles.lookup().unreflect(address).asType(MethodType.methodType(long.class, ByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@inheritDoc} The event's data is -1 in every byte, whichever way the platform packs the struct: a
     * JDK selector takes the data for a descriptor of its own, and no channel has descriptor -1.
     */
    @Override
    public boolean signalReadableThrough(int epollFd) {
        Pointer event = Memory.allocateDirect(Native.runtime(), EPOLL_EVENT_BYTES, true);
        event.putInt(0, LibC.EPOLLIN);
        event.putInt(4, -1);
        event.putLong(8, -1L);
        return epollControl(epollFd, LibC.EPOLL_CTL_ADD, event);
    }

    @Override
    public void stopSignalling(int epollFd) {
        if (!epollControl(epollFd, LibC.EPOLL_CTL_DEL, Memory.allocateDirect(Native.runtime(), EPOLL_EVENT_BYTES, true))) {
            Log.verbose("cannot remove the TUN device from the relay's epoll: %s", Native.lastErrorText());
        }
    }

    private boolean epollControl(int epollFd, int operation, Pointer event) {
        useLock.readLock().lock();
        try {
            return !closed.get() && libc.epoll_ctl(epollFd, operation, fd, event) == 0;
        } finally {
            useLock.readLock().unlock();
        }
    }

    @Override
    public boolean lastReadChecksumTrusted() {
        return lastReadChecksumTrusted;
    }

    /** Yes: TCP segments written here go out marked NEEDS_CSUM, their checksum field holding the pseudo-header sum. */
    @Override
    public boolean completesTcpChecksums() {
        return true;
    }

    /**
     * {@inheritDoc} A negative timeout waits until a packet arrives or the device is closed. The packet is
     * stored from {@code dst.position()}, which then advances past it; a packet longer than the remaining
     * space is truncated by the kernel.
     */
    @Override
    public int read(ByteBuffer dst, int timeoutMillis) throws IOException {
        useLock.readLock().lock();
        try {
            if (closed.get()) {
                return -1;
            }
            int length = readOnce(dst);
            if (length >= 0) {
                return length;
            }
            if (timeoutMillis == 0 || !awaitReadable(timeoutMillis)) {
                return closed.get() ? -1 : 0;
            }
            return Math.max(readOnce(dst), 0);
        } finally {
            useLock.readLock().unlock();
        }
    }

    /** Returns the packet's length, or -1 if none is queued (or the read was interrupted by a signal). */
    private int readOnce(ByteBuffer dst) throws IOException {
        setPacket(readVector, dst);
        long read = VectorCalls.readv(fd, readVector.address(), 2);
        if (read >= VirtioNetHeader.LENGTH) {
            int length = (int) read - VirtioNetHeader.LENGTH;
            dst.position(dst.position() + length);
            lastReadChecksumTrusted = VirtioNetHeader.checksumTrusted(readHeader);
            packetsRead.incrementAndGet();
            return length;
        }
        if (read >= 0) {
            readErrors.incrementAndGet();
            throw new IOException("the TUN device gave " + read + " bytes, less than its packet header");
        }
        int errno = VectorCalls.errno();
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return -1;
        }
        readErrors.incrementAndGet();
        throw new IOException("cannot read from the TUN device: " + Native.errorText(errno));
    }

    /** Waits for a packet; false on time-out, on close, or on a signal (the caller then returns 0). */
    private boolean awaitReadable(int timeoutMillis) {
        pollSet.putShort(6, (short) 0);
        pollSet.putShort(POLLFD_BYTES + 6, (short) 0);
        int ready = libc.poll(pollSet, 2, timeoutMillis < 0 ? -1 : timeoutMillis);
        return ready > 0 && !closed.get() && pollSet.getShort(6) != 0;
    }

    /**
     * {@inheritDoc} The buffer's position is left unchanged. A packet the kernel refuses (e.g. ENOBUFS when
     * the queue is full) or one written after {@link #close()} is dropped and counted, never thrown:
     * TCP retransmits, and a lost UDP datagram is what the child would see on a real network.
     */
    @Override
    public void write(ByteBuffer packet) {
        useLock.readLock().lock();
        try {
            if (closed.get()) {
                droppedWrites.incrementAndGet();
                return;
            }
            synchronized (writeVector) {
                writeOnce(packet);
            }
        } finally {
            useLock.readLock().unlock();
        }
    }

    private void writeOnce(ByteBuffer packet) {
        VirtioNetHeader.describe(packet, writeHeader);
        setPacket(writeVector, packet);
        int length = packet.remaining();
        long written = VectorCalls.writev(fd, writeVector.address(), 2);
        if (written == VirtioNetHeader.LENGTH + length) {
            packetsWritten.incrementAndGet();
        } else {
            String reason = written < 0 ? Native.errorText(VectorCalls.errno()) : "short write of " + written + " bytes";
            droppedWrites.incrementAndGet();
            Log.verbose("TUN device dropped a %d-byte packet: %s", length, reason);
        }
    }

    public TunCounters counters() {
        return new TunCounters(packetsRead.get(), packetsWritten.get(), droppedWrites.get(), readErrors.get());
    }

    /** Wakes a waiting reader (which then returns -1) and closes the descriptor. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Adds a non-zero 8-byte value to the eventfd counter, whatever the byte order.
        libc.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 1}, 8);
        useLock.writeLock().lock();
        try {
            libc.close(fd);
            libc.close(wakeFd);
        } finally {
            useLock.writeLock().unlock();
        }
    }
}
