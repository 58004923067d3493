package dev.httptap.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts connections on several ports of 127.0.0.1 and holds them open and silent, on one thread, for
 * tens of thousands of idle connections. Several ports, because the kernel searches longer for a free
 * ephemeral port the more connections share one destination.
 */
final class HoldingServer implements AutoCloseable {
    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<SocketChannel> held = new ArrayList<>();
    private final AtomicInteger heldCount = new AtomicInteger();
    private final Thread acceptor;

    private HoldingServer(int ports) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < ports; i++) {
            ServerSocketChannel listener = ServerSocketChannel.open()
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            listener.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
            listeners.add(listener);
        }
        acceptor = new Thread(this::acceptLoop, "holding-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static HoldingServer start(int ports) throws IOException {
        return new HoldingServer(ports);
    }

    List<Integer> ports() {
        return listeners.stream().map(listener -> listener.socket().getLocalPort()).toList();
    }

    int held() {
        return heldCount.get();
    }

    @Override
    public void close() throws IOException {
        selector.close();
        acceptor.interrupt();
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerSocketChannel listener : listeners) {
            listener.close();
        }
        for (SocketChannel channel : held) {
            channel.close();
        }
    }

    private void acceptLoop() {
        try {
            while (selector.isOpen()) {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    acceptAll((ServerSocketChannel) key.channel());
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed by the test
        }
    }

    private void acceptAll(ServerSocketChannel listener) {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                held.add(channel);
                heldCount.incrementAndGet();
            }
        } catch (IOException e) {
            // out of descriptors: the rest wait in the backlog, established from the client's side
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
