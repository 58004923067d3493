package dev.httptap.e2e;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server that answers every query, over UDP and TCP, with NXDOMAIN. It listens on port 53 (so the
 * test runs as root, as the e2e suite does) of a random 127.0.53.x address, so that it clashes with no
 * resolver of the machine's; a resolv.conf naming it is bind-mounted for httptap by the test.
 */
final class NxdomainResolver implements AutoCloseable {
    private static final int DNS_PORT = 53;
    private static final int HEADER_LENGTH = 12;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicInteger queries = new AtomicInteger();

    private NxdomainResolver(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    static NxdomainResolver start() throws IOException {
        InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 53,
                (byte) ThreadLocalRandom.current().nextInt(2, 250)});
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, DNS_PORT));
        ServerSocket tcp = new ServerSocket(DNS_PORT, 50, address);
        NxdomainResolver resolver = new NxdomainResolver(udp, tcp);
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
                byte[] answer = answer(buffer, query.getLength());
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
                byte[] answer = answer(query, query.length);
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
