package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The msghdr layout recvmsg(2) reads, and the parsing of what it writes back; the test plays the kernel
 * by writing a control message where the kernel would.
 */
class DescriptorMessageTest {
    private final DescriptorMessage message = new DescriptorMessage(Native.runtime(), 4096);
    private final Pointer header = message.header();

    @Test
    void theHeaderPointsAtOneIovecOverTheDataBufferAndAtTheControlBuffer() {
        assertEquals(0, header.getAddress(0), "msg_name");
        assertEquals(1, header.getLong(DescriptorMessage.MSG_IOVLEN));
        Pointer iovec = header.getPointer(DescriptorMessage.MSG_IOV);
        assertEquals(4096, iovec.getLong(8), "iov_len");
        assertEquals(24, header.getLong(DescriptorMessage.MSG_CONTROLLEN), "CMSG_SPACE(2 * sizeof(int))");
        assertEquals(0, header.getInt(48), "msg_flags");
    }

    @Test
    void anScmRightsMessageGivesItsDescriptor() {
        kernelStoresControlMessage(20, LibC.SOL_SOCKET, LibC.SCM_RIGHTS, 9);

        assertArrayEquals(new int[] {9}, message.descriptors());
    }

    @Test
    void twoDescriptorsComeInTheirOrder() {
        kernelStoresControlMessage(24, LibC.SOL_SOCKET, LibC.SCM_RIGHTS, 9);
        message.header().getPointer(DescriptorMessage.MSG_CONTROL).putInt(DescriptorMessage.CMSG_DATA + 4, 11);

        assertArrayEquals(new int[] {9, 11}, message.descriptors());
    }

    @Test
    void noControlDataMeansNoDescriptor() {
        header.putLong(DescriptorMessage.MSG_CONTROLLEN, 0); // what recvmsg sets when none came

        assertArrayEquals(new int[0], message.descriptors());
    }

    @Test
    void anotherKindOfControlMessageIsNotADescriptor() {
        kernelStoresControlMessage(20, LibC.SOL_SOCKET, 2 /* SCM_CREDENTIALS */, 9);

        assertArrayEquals(new int[0], message.descriptors());
    }

    @Test
    void aTruncatedControlMessageIsNotADescriptor() {
        kernelStoresControlMessage(16, LibC.SOL_SOCKET, LibC.SCM_RIGHTS, 9);

        assertArrayEquals(new int[0], message.descriptors());
    }

    @Test
    void theReceivedBytesReadAsText() {
        byte[] text = "open /dev/net/tun: Permission denied".getBytes(StandardCharsets.UTF_8);
        header.getPointer(DescriptorMessage.MSG_IOV).getPointer(0).put(0, text, 0, text.length);

        assertEquals("open /dev/net", message.text(13));
    }

    private void kernelStoresControlMessage(long length, int level, int type, int fd) {
        Pointer control = header.getPointer(DescriptorMessage.MSG_CONTROL);
        control.putLong(0, length);
        control.putInt(DescriptorMessage.CMSG_LEVEL, level);
        control.putInt(DescriptorMessage.CMSG_TYPE, type);
        control.putInt(DescriptorMessage.CMSG_DATA, fd);
        header.putLong(DescriptorMessage.MSG_CONTROLLEN, length);
    }
}
