package dev.httptap.relay;

import dev.httptap.dns.LocalZone;
import dev.httptap.log.Log;
import dev.httptap.log.RepeatedFailure;
import dev.httptap.stack.BufferBudget;
import dev.httptap.stack.Clock;
import dev.httptap.stack.PacketOutput;
import dev.httptap.tun.PacketDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The only place httptap touches sockets. One loop thread takes the child's packets from the TUN device in
 * batches (itself where it can, see {@link InlineTunReader}, else through a {@link TunReader} thread), feeds
 * them to the userspace stack, writes the packets the stack emits back to
 * the device, runs the stack's timers, and relays every flow the stack reports to the real network:
 * TCP through {@link TcpRelay}, UDP through {@link UdpRelay}, the gateway's DNS through {@link DnsRelay}
 * (over UDP; over TCP it is a connection to the resolver, watched by {@link TcpDnsObserver}).
 *
 * <p>Memory is bounded: at most {@value #BATCHES} packet batches of {@value #BATCH_BYTES} bytes for the
 * device's packets, one {@link Splice#SERVER_READ_BYTES} scratch buffer for the loop, and at most that much again per TCP
 * connection whose server reads slower than the child sends. The device is the caller's to close.
 */
public final class Relay implements AutoCloseable {
    static final int BATCHES = 4;
    static final int BATCH_BYTES = 512 * 1024;

    private enum State { NEW, RUNNING, CLOSED }

    private final PacketDevice device;
    private final RelayConfig config;
    private final FlowHandlerFactory handlers;
    private final DnsObserver dnsObserver;
    private final UpstreamObserver upstreamObserver;
    private final PacketStack.Factory stacks;
    private final Clock clock;
    /** One memory budget for the bytes the stack and the splices hold for all connections. */
    private final BufferBudget budget;
    private final PacketSource.Receiver receivePacket = this::receivePacket;
    private State state = State.NEW;
    /** Volatile for {@link #execute}, which any thread may call. */
    private volatile EventLoop loop;
    private PacketSource reader;
    private PacketStack stack;
    private TcpRelay tcp;
    private UdpRelay udp;
    private DnsRelay dns;
    /** Counted down on the loop thread once no TCP connection is left, after {@link #awaitTcpEnd} asked. */
    private CountDownLatch tcpEnded;
    private Runnable roundEnd = () -> { };
    private EgressGate egress = EgressGate.open();
    private final RepeatedFailure stackFailures = new RepeatedFailure("the network stack failed on a packet");
    private final RepeatedFailure deviceFailures = new RepeatedFailure("writing to the TUN device failed");

    public Relay(PacketDevice device, RelayConfig config, FlowHandlerFactory handlers) {
        this(device, config, handlers, DnsObserver.NONE);
    }

    /** {@code dnsObserver} hears about the child's DNS queries to the gateway and their answers. */
    public Relay(PacketDevice device, RelayConfig config, FlowHandlerFactory handlers, DnsObserver dnsObserver) {
        this(device, config, handlers, dnsObserver, UpstreamObserver.NONE);
    }

    /** {@code upstreamObserver} also hears how each dial to a real server went. */
    public Relay(PacketDevice device, RelayConfig config, FlowHandlerFactory handlers, DnsObserver dnsObserver,
            UpstreamObserver upstreamObserver) {
        this(device, config, handlers, dnsObserver, upstreamObserver, new BufferBudget(BufferBudget.DEFAULT_BYTES));
    }

    private Relay(PacketDevice device, RelayConfig config, FlowHandlerFactory handlers, DnsObserver dnsObserver,
            UpstreamObserver upstreamObserver, BufferBudget budget) {
        this(device, config, handlers, dnsObserver, upstreamObserver,
                PacketStack.networkStack(config.stack(), budget, Clock.SYSTEM), Clock.SYSTEM, budget);
    }

    /** The seam for tests: any {@link PacketStack} and clock; {@code budget} is the relay's share of the stack's. */
    Relay(PacketDevice device, RelayConfig config, FlowHandlerFactory handlers, DnsObserver dnsObserver,
            UpstreamObserver upstreamObserver, PacketStack.Factory stacks, Clock clock, BufferBudget budget) {
        this.budget = budget;
        this.upstreamObserver = upstreamObserver;
        this.device = device;
        this.config = config;
        this.handlers = handlers;
        this.dnsObserver = dnsObserver;
        this.stacks = stacks;
        this.clock = clock;
    }

    /**
     * Runs {@code task} on the loop thread at the end of every round of the loop, just before it waits for
     * more work: the place to flush what the round printed. Call before {@link #start()}.
     */
    public synchronized void atEndOfEachRound(Runnable task) {
        if (state != State.NEW) {
            throw new IllegalStateException("relay already " + state);
        }
        roundEnd = task;
    }

    /** Decides every new flow by {@code gate}'s egress policy (by default all go). Call before {@link #start()}. */
    public synchronized void enforce(EgressGate gate) {
        if (state != State.NEW) {
            throw new IllegalStateException("relay already " + state);
        }
        egress = gate;
    }

    /**
     * Runs {@code task} on the loop thread soon, from any thread (waking the loop when it waits): for work
     * that must run where the connections' events are heard. After {@link #start()}; a task given once the
     * relay stops never runs, so its giver must not count on it then.
     */
    public void execute(Runnable task) {
        EventLoop running = loop;
        if (running == null) {
            throw new IllegalStateException("relay not started");
        }
        running.execute(task);
    }

    /**
     * How long the loop has waited for work so far, in nanoseconds of the relay's clock (0 before
     * {@link #start()}), from any thread: an idle relay's count keeps pace with the clock, a busy one's (or
     * one starved of CPU) stands still.
     */
    public long idleNanos() {
        EventLoop running = loop;
        return running == null ? 0 : running.idleNanos(clock.nanoTime());
    }

    /** Starts the loop (and the reader thread, if there is one); returns once they run. */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("relay already " + state);
        }
        loop = new EventLoop("httptap-relay", clock);
        ByteBuffer scratch = ByteBuffer.allocateDirect(Splice.SERVER_READ_BYTES);
        AddressMap addresses = new AddressMap(config.gateway(), config.hostAliasAddress(), config.ipv6());
        LocalZone zone = new LocalZone(config.hostAliasName(), config.hostAliasAddress(),
                config.ipv6() == null ? null : config.ipv6().hostAlias());
        egress.knowAlias(config.hostAliasName(), config.hostAliasAddress());
        if (config.ipv6() != null) {
            egress.knowAlias(config.hostAliasName(), config.ipv6().hostAlias());
        }
        tcp = new TcpRelay(loop.selector(), clock, scratch, budget, config.tcpConnectTimeout().toNanos(),
                withDnsOverTcp(addresses), upstreamObserver, egress);
        UdpRefuser refuser = (flow, payload) -> stack.refuse(flow, payload);
        udp = new UdpRelay(loop.selector(), clock, addresses, (flow, payload) -> {
                    egress.replied(flow, payload.remaining());
                    stack.sendUdp(flow, payload);
                },
                refuser, config.allowQuic(), scratch, config.maxUdpFlows(),
                config.udpIdleTimeout().toNanos());
        dns = new DnsRelay(loop.selector(), clock, (flow, payload) -> stack.sendUdp(flow, payload), scratch, zone,
                config.dnsServers(), config.maxUdpFlows(), config.dnsIdleTimeout().toNanos(),
                config.dnsServerTimeout().toNanos(), dnsObserver, egress);
        FlowRouter router = new FlowRouter(addresses, config.dnsServers().get(0), tcp, udp, dns, refuser, egress);
        stack = stacks.create(new PacketOutput() {
            @Override
            public void send(ByteBuffer packet) {
                writePacket(packet);
            }

            @Override
            public boolean completesTcpChecksums() {
                return device.completesTcpChecksums();
            }
        }, router);
        reader = InlineTunReader.attach(device, loop, config.stack().mtu(), BATCH_BYTES).orElseGet(() -> {
            Log.verbose("reading the TUN device on a thread of its own: the JDK's selector is closed to httptap");
            return new TunReader(device, config.stack().mtu(), BATCHES, BATCH_BYTES, loop::wakeup);
        });
        loop.start(new EventLoop.Turn() {
            @Override
            public long run(long now) {
                return turn(now);
            }

            @Override
            public void stop() {
                tcp.closeAll();
                udp.closeAll();
                dns.closeAll();
            }
        });
        reader.start();
        state = State.RUNNING;
    }

    /**
     * The handlers of the TCP connections: those to the gateway's DNS port carry DNS, not HTTP, and are
     * watched for the DNS observer, like the queries over UDP; all others get the caller's handlers.
     */
    private FlowHandlerFactory withDnsOverTcp(AddressMap addresses) {
        return (flow, upstream, peers) -> {
            if (addresses.isGateway(flow.server()) && flow.server().getPort() == RelayConfig.DNS_PORT) {
                return FlowHandler.observing(new SafeObserver(flow, new TcpDnsObserver(flow, dnsObserver)), peers);
            }
            return handlers.open(flow, upstream, peers);
        };
    }

    /**
     * Waits up to {@code grace} for the TCP connections still open to end by themselves, so that the FINs
     * and last ACKs of connections the child closed just before it exited reach the servers before
     * {@link #close} resets what is left. Returns as soon as none is left, at once when none is open.
     */
    public void awaitTcpEnd(Duration grace) throws InterruptedException {
        if (state != State.RUNNING) {
            return;
        }
        CountDownLatch ended = new CountDownLatch(1);
        loop.execute(() -> tcpEnded = ended);
        ended.await(grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops reading the device, resets every live connection (handlers hear {@code onClose(true)}), closes
     * every socket and stops the threads.
     */
    @Override
    public synchronized void close() {
        if (state == State.RUNNING) {
            reader.stop();
            loop.close();
        }
        state = State.CLOSED;
    }

    private long turn(long now) {
        reader.drain(receivePacket);
        long next = stack.runTimers();
        next = Math.min(next, tcp.expire(now));
        next = Math.min(next, udp.expire(now));
        next = Math.min(next, dns.expire(now));
        if (tcpEnded != null && tcp.spliceCount() == 0) {
            tcpEnded.countDown();
        }
        roundEnd.run();
        return next;
    }

    private void receivePacket(ByteBuffer packet, boolean checksumTrusted) {
        try {
            stack.receive(packet, checksumTrusted);
        } catch (Throwable e) {
            // A stack bug (or an Error from a flow's code it called) on one packet must not stop every other flow.
            stackFailures.report(e);
        }
    }

    private void writePacket(ByteBuffer packet) {
        try {
            device.write(packet);
        } catch (IOException e) {
            deviceFailures.report(e.getMessage());
        }
    }
}
