package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import dev.httptap.stack.TcpConnectRequest;
import dev.httptap.stack.TcpConnection;

/** Records how the relay answered a SYN; accepting hands out the given fake connection. */
final class FakeConnectRequest implements TcpConnectRequest {
    enum Answer { NONE, ACCEPTED, REFUSED, UNREACHABLE }

    private final FakeTcpConnection connection;
    private volatile Answer answer = Answer.NONE;
    private volatile TcpConnection.Listener listener;

    FakeConnectRequest(FakeTcpConnection connection) {
        this.connection = connection;
    }

    @Override
    public FlowId flow() {
        return connection.flow();
    }

    @Override
    public TcpConnection accept(TcpConnection.Listener newListener) {
        answered(Answer.ACCEPTED);
        listener = newListener;
        return connection;
    }

    @Override
    public void refuse() {
        answered(Answer.REFUSED);
    }

    @Override
    public void unreachable() {
        answered(Answer.UNREACHABLE);
    }

    Answer answer() {
        return answer;
    }

    TcpConnection.Listener listener() {
        return listener;
    }

    private void answered(Answer given) {
        if (answer != Answer.NONE) {
            throw new AssertionError("answered twice: " + answer + " then " + given);
        }
        answer = given;
    }
}
