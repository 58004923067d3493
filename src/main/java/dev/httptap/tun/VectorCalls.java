package dev.httptap.tun;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallContextCache;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * readv(2) and writev(2), the TUN device's per-packet calls, made through jffi's primitive invoker: three
 * {@code long}s in, one out, no boxing. Through {@link LibC} (jnr-ffi's reflection binding, chosen there
 * for start-up) each call went through a proxy, an argument array and converters, ~0.6 us of the relay
 * thread per packet in a keep-alive profile; here it is one JNI call. errno is kept by jffi per thread,
 * where {@link Native#errno()} reads it too.
 */
final class VectorCalls {
    private static final CallContext THREE_ARGUMENTS = CallContextCache.getInstance().getCallContext(Type.SINT64,
            new Type[] {Type.SINT32, Type.POINTER, Type.SINT32}, CallingConvention.DEFAULT, true);
    private static final long READV = symbol("readv");
    private static final long WRITEV = symbol("writev");

    private VectorCalls() {}

    /** readv over {@code count} iovecs at {@code vector}; -1 with errno set on failure. */
    static long readv(int fd, long vector, int count) {
        return Invoker.getInstance().invokeN3(THREE_ARGUMENTS, READV, fd, vector, count);
    }

    /** writev over {@code count} iovecs at {@code vector}; -1 with errno set on failure. */
    static long writev(int fd, long vector, int count) {
        return Invoker.getInstance().invokeN3(THREE_ARGUMENTS, WRITEV, fd, vector, count);
    }

    /** errno as this thread's last call here left it. */
    static int errno() {
        return LastError.getInstance().get();
    }

    private static long symbol(String name) {
        long address = Library.getDefault().getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("the C library has no " + name);
        }
        return address;
    }
}
