package dev.logcore.app.pubsub;

import dev.logcore.app.resp.GlobMatcher;
import dev.logcore.app.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pub/sub machinery of one event loop: its connections, delivery to its subscribers, and the
 * end of each loop turn, where everything produced during the turn goes out at once.
 *
 * <p><b>Turns.</b> Replies and messages are appended to each connection's output buffer, never
 * written one by one. Everything pending goes out at the end of the loop's turn, a task Netty runs
 * after the turn's I/O (as Redis writes its clients' buffers in beforeSleep), or after
 * {@link #READS_PER_FLUSH} reads if the turn is long: a subscriber gets many messages in one write,
 * and on io_uring the writes go to the kernel together. Within one flush the newest dirty
 * connection is written first, as in Redis: a publisher's reply before the messages its PUBLISH
 * caused.
 *
 * <p><b>Fan-out across loops.</b> PUBLISH counts the receivers on every loop from the registry,
 * delivers to its own loop's subscribers at once, and appends the message to one batch per other
 * loop that has subscribers for it. The batches are handed over before any reply is written (so a
 * client that has seen the PUBLISH reply may count on the message being queued everywhere); the
 * receiving loop delivers them in its next turn, and before reading
 * any socket, so a message published before a command was sent reaches that command's connection
 * first. Nothing blocks a loop: the hand-over is a lock-free queue; when a loop's backlog of
 * batches grows past {@link #BACKLOG_HIGH}, the publishing loop stops reading its sockets until the
 * backlog drains below {@link #BACKLOG_LOW}, so publishers cannot outrun delivery without bound.
 */
public final class LoopHub {
    /**
     * How far another loop may run ahead of this one's delivery: about a millisecond or two of
     * messages. Larger lets publishers on a busy loop queue seconds of work for a starved loop.
     */
    static final long BACKLOG_HIGH = 256L << 10;
    static final long BACKLOG_LOW = 64L << 10;

    private final int index;
    private final EventLoop loop;
    private final PubSubRegistry registry;
    private final LoopCounters counters = new LoopCounters();

    private final Set<RespConnection> connections = Collections.newSetFromMap(new IdentityHashMap<>());
    private RespConnection[] dirty = new RespConnection[16];
    private int dirtyCount;
    private boolean turnEndScheduled;
    /** Reads (of any connection) since everything pending was last written. */
    private int readsSinceFlush;
    static final int READS_PER_FLUSH = 16;
    private final Runnable endOfTurnTask = this::endOfTurn;

    private final DeliveryBatch[] outgoing;
    private final ConcurrentLinkedQueue<DeliveryBatch> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong backlogBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainInbox;
    private final ConcurrentLinkedQueue<LoopHub> waiters = new ConcurrentLinkedQueue<>();
    private final boolean[] waitingOn;
    private int waitingCount;

    private final ChannelName.Probe probe = new ChannelName.Probe();
    private final ByteBuf tail;
    private byte[] channelBytes = new byte[64];
    private Topic[] matched = new Topic[8];

    public LoopHub(int index, EventLoop loop, PubSubRegistry registry) {
        this.index = index;
        this.loop = loop;
        this.registry = registry;
        this.outgoing = new DeliveryBatch[registry.loopCount()];
        this.waitingOn = new boolean[registry.loopCount()];
        this.tail = Unpooled.buffer(256);
        registry.register(this);
    }

    public int index() {
        return index;
    }

    public EventLoop loop() {
        return loop;
    }

    public PubSubRegistry registry() {
        return registry;
    }

    public LoopCounters counters() {
        return counters;
    }

    void added(RespConnection c) {
        connections.add(c);
        counters.add(LoopCounters.ACCEPTED, 1);
    }

    void removed(RespConnection c) {
        connections.remove(c);
    }

    /** Whether the loop has stopped reading because another loop's backlog is full. */
    boolean readPaused() {
        return waitingCount > 0;
    }

    /** Schedules {@code c}'s output to be written at the end of this turn. */
    void markDirty(RespConnection c) {
        if (dirtyCount == dirty.length) {
            dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        }
        dirty[dirtyCount++] = c;
        scheduleEndOfTurn();
    }

    private void scheduleEndOfTurn() {
        if (!turnEndScheduled) {
            turnEndScheduled = true;
            loop.execute(endOfTurnTask);
        }
    }

    /** Hands the messages queued for other loops over to them. */
    private void handOver() {
        for (int r = 0; r < outgoing.length; r++) {
            DeliveryBatch b = outgoing[r];
            if (b != null) {
                outgoing[r] = null;
                registry.hub(r).receive(b, this);
            }
        }
    }

    /**
     * The end of one connection's read: every {@link #READS_PER_FLUSH} reads everything pending goes
     * out, so that under steady load, when Netty's io_uring loop keeps handling completions (up to
     * 128 rounds) before it runs tasks, neither replies nor messages wait for the end of a long
     * turn, while each write still carries what several reads produced. (Writing each read's
     * replies at once was measured too: it costs a submission per read and was slower.)
     */
    void readComplete() {
        if (++readsSinceFlush >= READS_PER_FLUSH && dirtyCount > 0) {
            flushAll();
        }
    }

    /** Runs after the I/O of a turn: hands batches to other loops, then writes every dirty connection. */
    private void endOfTurn() {
        turnEndScheduled = false;
        flushAll();
    }

    private void flushAll() {
        readsSinceFlush = 0;
        handOver();
        // Last dirtied first, as Redis orders its pending writes: a publisher's reply (added after
        // the messages it fanned out) goes out before the messages, so a publisher waiting for its
        // reply is not held up behind the fan-out it caused.
        for (int i = dirtyCount - 1; i >= 0; i--) {
            RespConnection c = dirty[i];
            dirty[i] = null;
            c.flush();
        }
        dirtyCount = 0;
    }

    /**
     * Publishes a message from this loop: delivers it here, queues it for other loops, and returns
     * the number of receivers (channel subscribers plus, for each matching pattern, its subscribers).
     */
    int publish(RespConnection from, ByteBuf buf, int channelIndex, int channelLength, int messageIndex, int messageLength) {
        counters.add(LoopCounters.PUBLISHED, 1);
        Topic channel = from.lastChannel(buf, channelIndex, channelLength);
        if (channel == RespConnection.UNKNOWN) {
            int generation = registry.generation();
            channel = registry.channel(probe.set(buf, channelIndex, channelLength));
            from.rememberChannel(buf, channelIndex, channelLength, channel, generation);
        }
        Topic[] patterns = registry.patterns();
        int receivers = channel == null ? 0 : channel.total();
        int matchedCount = 0;
        if (patterns.length > 0) {
            if (channelBytes.length < channelLength) {
                channelBytes = new byte[Math.max(channelLength, channelBytes.length * 2)];
            }
            buf.getBytes(channelIndex, channelBytes, 0, channelLength);
            for (Topic p : patterns) {
                int n = p.total();
                if (n > 0 && GlobMatcher.matches(p.name().bytes(), channelBytes, channelLength)) {
                    if (matchedCount == matched.length) {
                        matched = Arrays.copyOf(matched, matchedCount * 2);
                    }
                    matched[matchedCount++] = p;
                    receivers += n;
                }
            }
        }
        if (receivers == 0) {
            return 0;
        }
        // The part every receiver shares, encoded once: $len channel $len payload.
        ByteBuf t = tail;
        t.clear();
        Resp.bulk(t, buf, channelIndex, channelLength);
        Resp.bulk(t, buf, messageIndex, messageLength);
        int len = t.readableBytes();
        byte[] tailBytes = t.array();
        int tailOffset = t.arrayOffset();
        if (channel != null) {
            deliverLocal(channel, tailBytes, tailOffset, len);
        }
        for (int k = 0; k < matchedCount; k++) {
            deliverLocal(matched[k], tailBytes, tailOffset, len);
        }
        for (int r = 0; r < outgoing.length; r++) {
            if (r == index) {
                continue;
            }
            boolean there = channel != null && channel.on(r).count() > 0;
            for (int k = 0; k < matchedCount && !there; k++) {
                there = matched[k].on(r).count() > 0;
            }
            if (there) {
                DeliveryBatch b = outgoing[r];
                if (b == null) {
                    b = outgoing[r] = new DeliveryBatch();
                    scheduleEndOfTurn();
                }
                b.add(channel != null && channel.on(r).count() > 0 ? channel : null, matched, matchedCount, r,
                        tailBytes, tailOffset, len);
            }
        }
        Arrays.fill(matched, 0, matchedCount, null);
        if (t.capacity() > 1 << 20) {
            t.clear().capacity(256); // keep no huge scratch buffer after a huge message
        }
        return receivers;
    }

    /** Appends a message to every subscriber of {@code topic} on this loop. */
    void deliverLocal(Topic topic, byte[] src, int from, int length) {
        Subscribers s = topic.on(index);
        RespConnection[] list = s.connections();
        int n = s.size();
        byte[] head = topic.head();
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            if (list[i].push(head, src, from, length)) {
                delivered++;
            }
        }
        counters.add(LoopCounters.DELIVERED, delivered);
        if (delivered < n) {
            counters.add(LoopCounters.DROPPED, n - delivered);
        }
    }

    /** Called by another loop at the end of its turn: queue a batch for this loop. */
    private void receive(DeliveryBatch batch, LoopHub from) {
        long backlog = backlogBytes.addAndGet(batch.bytes());
        inbox.offer(batch);
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
        if (backlog > BACKLOG_HIGH) {
            from.waitFor(this);
        }
    }

    /** Delivers the batches other loops handed over; on this loop, before it reads any socket. */
    void drainIfPending() {
        if (!inbox.isEmpty()) {
            drainInbox();
        }
    }

    private void drainInbox() {
        drainScheduled.set(false);
        long freed = 0;
        DeliveryBatch b;
        while ((b = inbox.poll()) != null) {
            try {
                b.deliverOn(this);
            } finally {
                freed += b.bytes();
                b.release();
            }
        }
        if (backlogBytes.addAndGet(-freed) <= BACKLOG_LOW) {
            wakeWaiters();
        }
    }

    /** On this loop: stop reading until {@code target}'s backlog drains. */
    private void waitFor(LoopHub target) {
        if (waitingOn[target.index]) {
            return;
        }
        waitingOn[target.index] = true;
        if (waitingCount++ == 0) {
            for (RespConnection c : connections) {
                c.updateAutoRead();
            }
        }
        target.waiters.offer(this);
        if (target.backlogBytes.get() <= BACKLOG_LOW) {
            // it drained while we registered: wake ourselves (a waiter is woken exactly once)
            target.wakeWaiters();
        }
    }

    private void wakeWaiters() {
        LoopHub w;
        while ((w = waiters.poll()) != null) {
            LoopHub waiter = w;
            waiter.loop.execute(() -> waiter.resumeAfter(this));
        }
    }

    private void resumeAfter(LoopHub target) {
        if (!waitingOn[target.index]) {
            return;
        }
        waitingOn[target.index] = false;
        if (--waitingCount == 0) {
            for (RespConnection c : connections) {
                c.updateAutoRead();
            }
        }
    }
}
