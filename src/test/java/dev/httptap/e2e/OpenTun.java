package dev.httptap.e2e;

/**
 * /dev/net/tun for an ordinary user: 0600 on some machines (as here) and 0666 on most distributions. A test
 * that runs httptap as that user either uses the machine's device, when the user can open it, or wraps the
 * run in {@link #PRIVATE_DEVICE}, which leaves the real device untouched.
 */
final class OpenTun {
    static final String DEVICE = "/dev/net/tun";
    /** Mounts a tmpfs over /dev/net in a private mount namespace and makes a world-usable TUN node (10,200). */
    static final String[] PRIVATE_DEVICE = {
        "unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
        "mount -t tmpfs -o mode=0755 tmpfs /dev/net && mknod -m 0666 /dev/net/tun c 10 200 && exec \"$@\"", "sh"
    };

    private OpenTun() {}

    /** Whether {@code user} can open the machine's own device (the caller is root: runuser). */
    static boolean usableBy(String user) {
        return Route.DIRECT.run("runuser", "-u", user, "--", "sh", "-c", "exec 3<>" + DEVICE).exitCode() == 0;
    }

    /** The wrapper a run as {@code user} needs: none when it can open the machine's device. */
    static String[] wrapperFor(String user) {
        return usableBy(user) ? new String[0] : PRIVATE_DEVICE;
    }
}
