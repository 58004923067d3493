package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.util.HashMap;
import java.util.Map;

/**
 * The open datagram flows of one kind, by the child's flow id. A flow closes after it has been idle for the
 * table's timeout, and there are never more than {@code maxFlows}: the least recently used makes way.
 */
final class FlowTable<F extends FlowTable.Flow> {
    /** Something with an id that can be closed. */
    interface Flow {
        FlowId id();

        void close();
    }

    private final int maxFlows;
    private final Map<FlowId, ExpiryList.Entry<F>> byId = new HashMap<>();
    private final ExpiryList<F> idle;

    FlowTable(int maxFlows, long idleNanos) {
        this.maxFlows = maxFlows;
        this.idle = new ExpiryList<>(idleNanos, this::closeFlow);
    }

    /** The open flow for {@code id}, or null. */
    F get(FlowId id) {
        ExpiryList.Entry<F> entry = byId.get(id);
        return entry == null ? null : entry.value;
    }

    /** Adds a new flow, first closing the least recently used one if the table is full. */
    void add(F flow, long now) {
        if (byId.size() >= maxFlows) {
            closeFlow(idle.oldest());
        }
        ExpiryList.Entry<F> entry = new ExpiryList.Entry<>(flow);
        byId.put(flow.id(), entry);
        idle.touch(entry, now);
    }

    /** Restarts the flow's idle time. */
    void touch(F flow, long now) {
        ExpiryList.Entry<F> entry = byId.get(flow.id());
        if (entry != null) {
            idle.touch(entry, now);
        }
    }

    /** Closes and forgets the flow. */
    void closeFlow(F flow) {
        ExpiryList.Entry<F> entry = byId.remove(flow.id());
        if (entry != null) {
            idle.remove(entry);
            flow.close();
        }
    }

    /** Closes idle flows; returns the next deadline. */
    long expire(long now) {
        return idle.expire(now);
    }

    void closeAll() {
        idle.drain(flow -> {
            byId.remove(flow.id());
            flow.close();
        });
    }

    int size() {
        return byId.size();
    }
}
