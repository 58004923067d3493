package dev.httptap.e2e;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server that answers every query, over UDP and TCP, with NXDOMAIN, except those for the names it is
 * given ({@link #startKnowing}): an A query gets their one address, any other type no record (NODATA). It
 * listens on port 53 (so the
 * test runs as root, as the e2e suite does) of a random 127.0.53.x address, so that it clashes with no
 * resolver of the machine's; a resolv.conf naming it is bind-mounted for httptap by the test.
 */
final class NxdomainResolver implements AutoCloseable {
    private static final int DNS_PORT = 53;
    private static final int HEADER_LENGTH = 12;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private static final int TYPE_A = 1;

    private final AtomicInteger queries = new AtomicInteger();
    /** IPv4 addresses by lower-case name. */
    private final Map<String, byte[]> known;

    private NxdomainResolver(DatagramSocket udp, ServerSocket tcp, Map<String, byte[]> known) {
        this.udp = udp;
        this.tcp = tcp;
        this.known = known;
    }

    static NxdomainResolver start() throws IOException {
        return start(Map.of());
    }

    /** The resolver, answering {@code name} (and nothing else) with {@code ipv4}. */
    static NxdomainResolver startKnowing(String name, Inet4Address ipv4) throws IOException {
        return start(Map.of(name.toLowerCase(Locale.ROOT), ipv4.getAddress()));
    }

    private static NxdomainResolver start(Map<String, byte[]> known) throws IOException {
        InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 53,
                (byte) ThreadLocalRandom.current().nextInt(2, 250)});
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, DNS_PORT));
        ServerSocket tcp = new ServerSocket(DNS_PORT, 50, address);
        NxdomainResolver resolver = new NxdomainResolver(udp, tcp, known);
        daemon(resolver::serveUdp, "dns-fixture-udp");
        daemon(resolver::serveTcp, "dns-fixture-tcp");
        return resolver;
    }

    InetAddress address() {
        return udp.getLocalAddress();
    }

    /** Queries answered so far, both transports. */
    int queries() {
        return queries.get();
    }

    /**
     * The answer to a query without additional records: its ID and question, flags QR, RD as asked, RA, and
     * RCODE 3 (NXDOMAIN), no records.
     */
    static byte[] answer(byte[] query, int length) {
        byte[] answer = Arrays.copyOf(query, length);
        answer[2] = (byte) (0x80 | (query[2] & 0x01)); // QR, opcode 0, RD copied
        answer[3] = (byte) 0x83; // RA, RCODE 3
        Arrays.fill(answer, 6, HEADER_LENGTH, (byte) 0);
        return answer;
    }

    /** The answer to {@code query}: a known name's, else NXDOMAIN. */
    private byte[] reply(byte[] query, int length) {
        int end = HEADER_LENGTH;
        StringBuilder name = new StringBuilder();
        while (end < length && query[end] != 0) {
            int label = query[end] & 0xff;
            name.append(name.length() == 0 ? "" : ".").append(new String(query, end + 1, Math.min(label, length - end - 1),
                    StandardCharsets.US_ASCII));
            end += label + 1;
        }
        byte[] address = known.get(name.toString().toLowerCase(Locale.ROOT));
        if (address == null || end + 5 > length) {
            return answer(query, length);
        }
        int questionEnd = end + 5; // the root label, type and class
        boolean typeA = (((query[end + 1] & 0xff) << 8) | (query[end + 2] & 0xff)) == TYPE_A;
        ByteBuffer answer = ByteBuffer.allocate(questionEnd + (typeA ? 16 : 0)).put(query, 0, questionEnd);
        answer.put(2, (byte) (0x80 | (query[2] & 0x01))).put(3, (byte) 0x80); // QR, RD copied; RA, NOERROR
        answer.putShort(6, (short) (typeA ? 1 : 0)).putShort(8, (short) 0).putShort(10, (short) 0);
        if (typeA) {
            answer.putShort((short) (0xc000 | HEADER_LENGTH)).putShort((short) TYPE_A).putShort((short) 1).putInt(60)
                    .putShort((short) 4).put(address);
        }
        return answer.array();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private void serveUdp() {
        byte[] buffer = new byte[512];
        while (!udp.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                udp.receive(query);
                byte[] answer = reply(buffer, query.getLength());
                queries.incrementAndGet();
                udp.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
            } catch (IOException e) {
                // closed by the test: the loop condition ends it
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket connection = tcp.accept()) {
                DataInputStream in = new DataInputStream(connection.getInputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = reply(query, query.length);
                queries.incrementAndGet();
                DataOutputStream out = new DataOutputStream(connection.getOutputStream());
                out.writeShort(answer.length);
                out.write(answer);
            } catch (IOException e) {
                // a broken client or the test closing: serve the next one
            }
        }
    }

    private static void daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
