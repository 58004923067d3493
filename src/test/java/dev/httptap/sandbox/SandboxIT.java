package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.tun.LibC;
import dev.httptap.tun.Native;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts real sandboxes. Runs as root or as an ordinary user who can open /dev/net/tun. Packets only go
 * to the TUN device the test holds; nothing leaves the namespace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxIT {
    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final int SIGHUP = 1;

    @TempDir
    Path temp;

    /**
     * The helper keeps none of the JVM's descriptors while the sandbox is made and httptap gets ready: the
     * JVM's are not close-on-exec, and a pipe of a program the JVM started at that moment (certutil) held
     * there never gave that start its end-of-file, so the first run on a machine could hang for good.
     */
    @Test
    void theHelperHoldsNoneOfTheJvmsDescriptorsWhileTheCommandWaits() throws Exception {
        Pipe pipe = Pipe.open();
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(List.of("true")))) {
            pipe.sink().close();
            pipe.source().configureBlocking(false);

            assertEquals(-1, pipe.source().read(ByteBuffer.allocate(1)), "end-of-file: nobody else holds the pipe");

            sandbox.release();
            assertEquals(0, sandbox.waitFor());
        } finally {
            pipe.source().close();
        }
    }

    @Test
    void theCommandKeepsTheCallersUidAndGid() throws Exception {
        String output = outputOf("id -u; id -g");

        assertEquals(callers("uid") + "\n" + callers("gid") + "\n", output);
    }

    @Test
    void exitCodesAreTheCommands() throws Exception {
        assertEquals(0, exitCodeOf(List.of("sh", "-c", "exit 0")));
        assertEquals(3, exitCodeOf(List.of("sh", "-c", "exit 3")));
    }

    @Test
    void aMissingCommandExitsWith127LikeAShell() throws Exception {
        assertEquals(127, exitCodeOf(List.of("httptap-no-such-command")));
    }

    @Test
    void aCommandKilledBySigtermGives143() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(List.of("sleep", "600")))) {
            sandbox.release();
            sandbox.signal(LibC.SIGTERM);
            assertEquals(143, sandbox.waitFor());
        }
    }

    @Test
    void theTunDeviceHasItsAddressMtuAndTheDefaultRoute() throws Exception {
        String output = outputOf("ip -4 addr show dev httptap0; ip -4 route");

        assertTrue(output.contains("mtu 65520"), output);
        assertTrue(output.contains("inet 10.1.1.100/24"), output);
        assertTrue(output.contains("default via 10.1.1.1 dev httptap0"), output);
    }

    @Test
    void anIpv6ConnectFailsAtOnceWithNetworkUnreachable() throws Exception {
        String output = outputOf("python3 -c 'import socket\n"
                + "s = socket.socket(socket.AF_INET6)\n"
                + "try:\n    s.connect((\"fd00::1\", 80))\n"
                + "except OSError as e:\n    print(e.errno)'");

        assertEquals("101\n", output); // ENETUNREACH, not a time-out
    }

    @Test
    void aUdpDatagramArrivesOnTheDeviceAsAnIpv4Packet() throws Exception {
        List<String> command = List.of("python3", "-c", "import socket\n"
                + "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'hello', ('10.1.1.1', 5353))");

        ByteBuffer packet = firstPacketOf(command, UDP);

        assertEquals(0x45, packet.get(0) & 0xff); // IPv4, 20-byte header
        assertEquals(20 + 8 + 5, packet.getShort(2) & 0xffff); // total length
        assertEquals(UDP, packet.get(9));
        assertEquals(List.of(10, 1, 1, 100, 10, 1, 1, 1), unsignedBytes(packet, 12, 8)); // source, destination
        assertEquals(5353, packet.getShort(22) & 0xffff);
        assertEquals("hello", new String(bytes(packet, 28, 5), StandardCharsets.US_ASCII));
    }

    @Test
    void pingSocketsAreAllowedSoAnEchoRequestArrives() throws Exception {
        // What ping(8) does without privileges: an ICMP datagram socket, allowed by ping_group_range.
        List<String> command = List.of("python3", "-c", "import socket\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)\n"
                + "s.sendto(b'\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x01ping', ('10.1.1.1', 0))");

        ByteBuffer packet = firstPacketOf(command, ICMP);

        assertEquals(List.of(10, 1, 1, 100, 10, 1, 1, 1), unsignedBytes(packet, 12, 8));
        assertEquals(8, packet.get(20)); // echo request
        assertEquals("ping", new String(bytes(packet, 28, 4), StandardCharsets.US_ASCII));
    }

    @Test
    void aBindMountIsSeenInsideAndNotOutside() throws Exception {
        Path resolvConf = Files.writeString(temp.resolve("resolv.conf"), "nameserver 10.1.1.1 # httptap test\n");
        String outside = Files.readString(Path.of("/etc/resolv.conf"));
        SandboxSpec spec = spec("cat /etc/resolv.conf")
                .withBindMounts(List.of(new BindMount(resolvConf, Path.of("/etc/resolv.conf"))));

        assertEquals("nameserver 10.1.1.1 # httptap test\n", outputOf(spec));
        assertEquals(outside, Files.readString(Path.of("/etc/resolv.conf")));
    }

    @Test
    void aBindMountOnAMissingTargetIsSkipped() throws Exception {
        Path source = Files.writeString(temp.resolve("file"), "x");
        SandboxSpec spec = spec("echo ran")
                .withBindMounts(List.of(new BindMount(source, Path.of("/httptap-no-such-dir/file"))));

        assertEquals("ran\n", outputOf(spec));
    }

    @Test
    void aHelperFailureIsOneLineSayingWhatFailed() {
        SandboxSpec spec = spec("true").withBindMounts(
                List.of(new BindMount(Path.of("/httptap-no-such-source"), Path.of("/etc/hostname"))));

        SandboxException e = assertThrows(SandboxException.class, () -> Sandbox.start(spec));

        assertEquals("cannot bind mount /httptap-no-such-source on /etc/hostname: No such file or directory",
                e.getMessage());
    }

    @Test
    void userSwitchesIdentityAsRootAndIsRefusedOtherwise() throws Exception {
        SandboxSpec spec = spec("id -u").withUser("nobody");
        if (callers("uid") == 0) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx")); // for nobody's output
            assertEquals("65534\n", outputOf(spec));
        } else {
            // Only the caller's own ids exist in an unprivileged user namespace.
            assertEquals(125, exitCodeOf(spec));
        }
    }

    @Test
    void noUserNamespaceWorksForRootAndIsExplainedToOthers() throws Exception {
        SandboxSpec spec = spec("ip -4 route").withNewUserNamespace(false);
        if (callers("uid") == 0) {
            assertTrue(outputOf(spec).contains("default via 10.1.1.1 dev httptap0"));
        } else {
            SandboxException e = assertThrows(SandboxException.class, () -> Sandbox.start(spec));
            assertTrue(e.getMessage().startsWith("--no-new-user-namespace needs root"), e.getMessage());
        }
    }

    @Test
    void closingBeforeReleaseNeverRunsTheCommand() throws Exception {
        Path marker = temp.resolve("ran");
        Sandbox sandbox = Sandbox.start(spec("touch " + marker));

        sandbox.close();

        assertFalse(Files.exists(marker));
        assertEquals(1, sandbox.waitFor());
    }

    @Test
    void closingKillsARunningCommand() throws Exception {
        Sandbox sandbox = Sandbox.start(SandboxSpec.of(List.of("sleep", "600")));
        sandbox.release();

        sandbox.close();

        assertEquals(137, sandbox.waitFor());
        assertFalse(Files.exists(Path.of("/proc/" + sandbox.pid())));
    }

    @Test
    void theCommandDiesWithTheJvm() throws Exception {
        Process jvm = startSleepingSandboxJvm();
        int pid = readPid(jvm);

        jvm.destroyForcibly(); // SIGKILL: no shutdown hooks, only the kernel's parent-death signal
        jvm.waitFor();

        // The kernel delivers SIGKILL as the JVM's threads exit; wait, boundedly, for the command to go.
        for (int i = 0; i < 200 && isRunning(pid); i++) {
            Thread.sleep(50);
        }
        assertFalse(isRunning(pid), "the sandboxed command outlived httptap");
    }

    @Test
    void sigtermToHttptapIsPassedToTheCommandWhoseExitCodeHttptapReturns() throws Exception {
        assertEquals(143, exitCodeOfJvmAfter(LibC.SIGTERM));
    }

    @Test
    void sighupToHttptapIsPassedToTheCommand() throws Exception {
        assertEquals(129, exitCodeOfJvmAfter(SIGHUP));
    }

    /** This process's "uid" or "gid", as the kernel shows it for /proc/self. */
    private static int callers(String id) throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + id);
    }

    private static int exitCodeOfJvmAfter(int signal) throws Exception {
        Process jvm = startSleepingSandboxJvm();
        int pid = readPid(jvm);

        Native.processes().kill((int) jvm.pid(), signal);

        int exitCode = jvm.waitFor();
        assertFalse(isRunning(pid));
        return exitCode;
    }

    private static Process startSleepingSandboxJvm() throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SleepingSandboxMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** The command's pid, printed once the command runs. */
    private static int readPid(Process jvm) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "the sandbox did not start");
        int pid = Integer.parseInt(line.strip());
        assertTrue(isRunning(pid));
        return pid;
    }

    /** Whether pid is a live process (a zombie, awaiting its reaper, counts as gone). */
    private static boolean isRunning(int pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    private SandboxSpec spec(String script) {
        return SandboxSpec.of(List.of("sh", "-c", script));
    }

    private String outputOf(String script) throws Exception {
        return outputOf(spec(script));
    }

    /** Runs the spec's shell script with its stdout in a file; returns the output after a zero exit. */
    private String outputOf(SandboxSpec spec) throws Exception {
        Path output = temp.resolve("output");
        List<String> command = new ArrayList<>(spec.command());
        command.set(2, "(" + command.get(2) + ") > " + output);
        SandboxSpec redirected = new SandboxSpec(command, spec.environment(), spec.tunName(), spec.address(),
                spec.prefixLength(), spec.gateway(), spec.mtu(), spec.newUserNamespace(), spec.user(),
                spec.bindMounts(), spec.verbose());
        assertEquals(0, exitCodeOf(redirected));
        return Files.readString(output);
    }

    private static int exitCodeOf(List<String> command) throws Exception {
        return exitCodeOf(SandboxSpec.of(command));
    }

    private static int exitCodeOf(SandboxSpec spec) throws Exception {
        try (Sandbox sandbox = Sandbox.start(spec)) {
            sandbox.release();
            return sandbox.waitFor();
        }
    }

    /**
     * Runs the command and returns the first packet of the given IP protocol it sends. Every packet read
     * on the way must be IPv4: IPv6 is off, so there are no router solicitations.
     */
    private static ByteBuffer firstPacketOf(List<String> command, int protocol) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.of(command))) {
            sandbox.release();
            ByteBuffer packet = ByteBuffer.allocateDirect(65536);
            for (int attempt = 0; attempt < 100; attempt++) {
                packet.clear();
                int length = sandbox.device().read(packet, 100);
                if (length > 0) {
                    assertEquals(4, (packet.get(0) & 0xff) >> 4, "a packet that is not IPv4");
                    if (packet.get(9) == protocol) {
                        packet.flip();
                        assertEquals(0, sandbox.waitFor());
                        return packet;
                    }
                }
            }
            throw new AssertionError("no packet of protocol " + protocol + " within 100 reads");
        }
    }

    private static byte[] bytes(ByteBuffer packet, int offset, int length) {
        byte[] bytes = new byte[length];
        packet.get(offset, bytes);
        return bytes;
    }

    private static List<Integer> unsignedBytes(ByteBuffer packet, int offset, int length) {
        List<Integer> values = new ArrayList<>();
        for (byte b : bytes(packet, offset, length)) {
            values.add(b & 0xff);
        }
        return values;
    }
}
