package dev.httptap.wire;

/** The TCP control bits as an {@code int} bit set, so flags travel without allocation. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    private TcpFlags() {}

    public static boolean has(int flags, int flag) {
        return (flags & flag) != 0;
    }

    /** For logs and test failures, e.g. {@code SYN|ACK}. */
    public static String toString(int flags) {
        StringBuilder text = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                text.append(text.length() == 0 ? "" : "|").append(NAMES[bit]);
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
