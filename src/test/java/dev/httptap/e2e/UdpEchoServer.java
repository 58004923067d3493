package dev.httptap.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Sends every datagram back to its sender; listens on 127.0.0.1 (ephemeral port). */
final class UdpEchoServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<InetSocketAddress> senders = Collections.synchronizedList(new ArrayList<>());

    private UdpEchoServer(DatagramSocket socket) {
        this.socket = socket;
    }

    static UdpEchoServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** The same server on another local address, e.g. ::1. */
    static UdpEchoServer start(InetAddress bindTo) throws IOException {
        UdpEchoServer server = new UdpEchoServer(new DatagramSocket(new InetSocketAddress(bindTo, 0)));
        Thread echoer = new Thread(server::echoLoop, "udp-fixture-echo");
        echoer.setDaemon(true);
        echoer.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The source address of every datagram received, in order. */
    List<InetAddress> peers() {
        return senders().stream().map(InetSocketAddress::getAddress).toList();
    }

    /** The source address and port of every datagram received, in order. */
    List<InetSocketAddress> senders() {
        synchronized (senders) {
            return List.copyOf(senders);
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    private void echoLoop() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                senders.add((InetSocketAddress) packet.getSocketAddress());
                socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
            } catch (IOException e) {
                // closed while receiving: the loop condition ends it
            }
        }
    }
}
