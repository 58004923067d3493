package dev.httptap.stack;

import java.util.ArrayList;
import java.util.List;

/** Records the names of listener events in order. */
final class RecordingListener implements TcpConnection.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onReadable(TcpConnection connection) {
        events.add("readable");
    }

    @Override
    public void onWritable(TcpConnection connection) {
        events.add("writable");
    }

    @Override
    public void onReset(TcpConnection connection) {
        events.add("reset");
    }

    @Override
    public void onClosed(TcpConnection connection) {
        events.add("closed");
    }

    /** The events since the last call. */
    List<String> take() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }
}
