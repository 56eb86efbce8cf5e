package dev.logcore.bench.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.transport.Transport;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The pub/sub load generator: publishers and subscribers over plain RESP2 connections (Vert.x
 * clients on the io_uring transport when available, as the server uses), so the same load runs
 * against Redis and LogCore. Each payload carries its send time, publisher and sequence number:
 * subscribers measure end-to-end latency (HdrHistogram) and check that nothing is lost, duplicated or
 * reordered. At a fixed rate the sends follow a schedule and never wait for replies, so a stalled
 * server shows up as latency instead of a lower offered load (no coordinated omission).
 */
public final class LoadGenerator {
    private static final long NOT_YET = Long.MAX_VALUE;

    private final LoadOptions o;
    private volatile long windowStart = NOT_YET;
    private volatile long windowEnd = NOT_YET;
    private final AtomicLong disconnects = new AtomicLong();
    private volatile boolean closing;

    private LoadGenerator(LoadOptions o) {
        this.o = o;
    }

    /** Runs one load and returns what it measured. */
    public static LoadResult run(LoadOptions o) throws Exception {
        return new LoadGenerator(o).run();
    }

    private static String channel(int i) {
        return "ch:" + i;
    }

    private LoadResult run() throws Exception {
        VertxOptions vo = new VertxOptions().setEventLoopPoolSize(o.threads()).setWorkerPoolSize(1).setInternalBlockingPoolSize(1);
        Transport t = Transport.IO_URING != null && Transport.IO_URING.available() ? Transport.IO_URING : Transport.NIO;
        Vertx vertx = Vertx.builder().with(vo).withTransport(t).build();
        try {
            NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
            List<Subscriber> subs = new ArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(o.subscribers());
            for (int j = 0; j < o.subscribers(); j++) {
                Subscriber s = new Subscriber(j % o.channels(), subscribed);
                subs.add(s);
                await(connect(client, s::attach));
            }
            if (!subscribed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscriptions not confirmed in 30 s");
            }
            List<Publisher> pubs = new ArrayList<>();
            int[] perChannel = new int[o.channels()];
            for (int j = 0; j < o.subscribers(); j++) {
                perChannel[j % o.channels()]++;
            }
            for (int i = 0; i < o.publishers(); i++) {
                Publisher p = new Publisher(i, i % o.channels(), perChannel[i % o.channels()]);
                pubs.add(p);
                await(connect(client, p::attach));
            }
            long t0 = System.nanoTime();
            Thread pacer = null;
            if (o.rate() > 0) {
                pacer = Thread.ofPlatform().daemon().name("pubsub-pacer").start(() -> pace(pubs, t0));
            } else {
                for (Publisher p : pubs) {
                    p.context.runOnContext(v -> p.start());
                }
            }
            sleepSeconds(o.warmupSeconds());
            double cpu0 = o.serverPid() > 0 ? ProcCpu.seconds(o.serverPid()) : Double.NaN;
            long ws = System.nanoTime();
            windowStart = ws;
            sleepSeconds(o.seconds());
            long we = System.nanoTime();
            windowEnd = we;
            double cpu1 = o.serverPid() > 0 ? ProcCpu.seconds(o.serverPid()) : Double.NaN;
            pacing = false;
            if (pacer != null) {
                pacer.join(5000);
            }
            for (Publisher p : pubs) {
                p.context.runOnContext(v -> p.stop());
            }

            // Drain: wait for every reply and every message, or give up after 15 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            long[] sent;
            long lost;
            List<long[]> received;
            while (true) {
                sent = new long[pubs.size()];
                long outstanding = 0;
                for (int i = 0; i < pubs.size(); i++) {
                    long[] s = onContext(pubs.get(i).context, pubs.get(i)::counts);
                    sent[i] = s[0];
                    outstanding += s[0] - s[1];
                }
                received = new ArrayList<>();
                for (Subscriber s : subs) {
                    received.add(onContext(s.context, s::receivedCopy));
                }
                lost = 0;
                for (int j = 0; j < subs.size(); j++) {
                    for (int i = 0; i < pubs.size(); i++) {
                        if (pubs.get(i).channel == subs.get(j).channel) {
                            lost += Math.max(0, sent[i] - received.get(j)[i]);
                        }
                    }
                }
                if ((lost == 0 && outstanding == 0) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(50);
            }
            closing = true;

            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            long delivered = 0;
            long outOfOrder = 0;
            for (Subscriber s : subs) {
                Subscriber.Totals tot = onContext(s.context, s::totals);
                latency.add(tot.histogram());
                delivered += tot.inWindow();
                outOfOrder += tot.outOfOrder();
            }
            long published = 0;
            long wrong = 0;
            for (Publisher p : pubs) {
                long[] c = onContext(p.context, p::counts);
                published += c[2];
                wrong += c[3];
            }
            double secs = (we - ws) / 1e9;
            double cores = o.serverPid() > 0 ? (cpu1 - cpu0) / secs : -1;
            return new LoadResult(secs, published / secs, delivered / secs, lost, disconnects.get(), wrong, outOfOrder,
                    latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                    latency.getMaxValue() / 1e3, cores);
        } finally {
            closing = true;
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // The figures are taken; a client that is slow to close must not lose them.
                System.err.println("warning: the load generator's Vert.x did not close in 30 s");
            }
        }
    }

    /** Connects and hands the socket to {@code attach} on the connection's own event loop. */
    private CompletableFuture<Void> connect(NetClient client, java.util.function.Consumer<NetSocket> attach) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.connect(o.port(), o.host()).onComplete(ar -> {
            if (ar.succeeded()) {
                attach.accept(ar.result());
                done.complete(null);
            } else {
                done.completeExceptionally(ar.cause());
            }
        });
        return done;
    }

    private volatile boolean pacing = true;

    /**
     * Fixed rate: one thread hands each message to a publisher's event loop at its intended time,
     * round robin over the publishers. The message is stamped when its publisher writes it, and the
     * writes never wait for the server, so a slow server shows as latency, not as a lower rate.
     */
    private void pace(List<Publisher> pubs, long t0) {
        long interval = (long) (1e9 / o.rate());
        long next = t0;
        int k = 0;
        while (pacing) {
            long now = System.nanoTime();
            if (now < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                continue;
            }
            Publisher p = pubs.get(k++ % pubs.size());
            p.context.runOnContext(v -> p.sendOne());
            next += interval;
            if (now - next > 1_000_000_000L) {
                next = now; // the machine stalled for a second: do not make it up in one burst
            }
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code f} on a connection's event loop and returns its value: its counters are single-threaded. */
    private static <T> T onContext(Context ctx, Supplier<T> f) throws Exception {
        CompletableFuture<T> r = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                r.complete(f.get());
            } catch (Throwable e) {
                r.completeExceptionally(e);
            }
        });
        return r.get(30, TimeUnit.SECONDS);
    }

    private static void sleepSeconds(double s) throws InterruptedException {
        Thread.sleep((long) (s * 1000));
    }

    private void closed() {
        if (!closing) {
            disconnects.incrementAndGet();
        }
    }

    // ---- subscribers ------------------------------------------------------------------------

    /** A subscribing connection: parses pushes without allocating, checks sequence, records latency. */
    private final class Subscriber {
        final int channel;
        final CountDownLatch subscribed;
        Context context;
        final ByteBuf acc = Unpooled.buffer(1 << 16);
        final long[] received = new long[o.publishers()];
        final long[] nextSeq = new long[o.publishers()];
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long inWindow;
        long outOfOrder;
        private final int[] at = new int[1];

        record Totals(Histogram histogram, long inWindow, long outOfOrder) {
        }

        Subscriber(int channel, CountDownLatch subscribed) {
            this.channel = channel;
            this.subscribed = subscribed;
        }

        void attach(NetSocket so) {
            context = Vertx.currentContext();
            so.handler(b -> onData(((BufferInternal) b).getByteBuf()));
            so.closeHandler(v -> closed());
            so.write(Buffer.buffer(command("SUBSCRIBE", channel(channel))));
        }

        long[] receivedCopy() {
            return received.clone();
        }

        Totals totals() {
            return new Totals(histogram.copy(), inWindow, outOfOrder);
        }

        private void onData(ByteBuf in) {
            acc.writeBytes(in);
            long now = System.nanoTime();
            while (parseOne(now)) {
                // next
            }
            if (acc.readerIndex() > (1 << 16)) {
                acc.discardReadBytes();
            }
        }

        /** Reads a number ending in CRLF at at[0]; -1 if the line is not complete. */
        private long number(int from) {
            int end = acc.writerIndex();
            long v = 0;
            boolean neg = false;
            int i = from;
            if (i < end && acc.getByte(i) == '-') {
                neg = true;
                i++;
            }
            for (; i < end; i++) {
                byte b = acc.getByte(i);
                if (b == '\r') {
                    if (i + 1 >= end) {
                        return Long.MIN_VALUE;
                    }
                    at[0] = i + 2;
                    return neg ? -v : v;
                }
                v = v * 10 + (b - '0');
            }
            return Long.MIN_VALUE;
        }

        private boolean parseOne(long now) {
            int start = acc.readerIndex();
            int end = acc.writerIndex();
            if (start >= end) {
                return false;
            }
            if (acc.getByte(start) != '*') {
                throw new IllegalStateException("unexpected reply: " + acc.toString(start, Math.min(80, end - start), StandardCharsets.ISO_8859_1));
            }
            long n = number(start + 1);
            if (n == Long.MIN_VALUE) {
                return false;
            }
            int p = at[0];
            int kindLen = -1;
            int lastBulk = -1;
            int lastLen = -1;
            for (int e = 0; e < n; e++) {
                if (p >= end) {
                    return false;
                }
                byte type = acc.getByte(p);
                long len = number(p + 1);
                if (len == Long.MIN_VALUE) {
                    return false;
                }
                p = at[0];
                if (type == '$') {
                    if (len >= 0) {
                        if (p + len + 2 > end) {
                            return false;
                        }
                        if (e == 0) {
                            kindLen = (int) len;
                        }
                        lastBulk = p;
                        lastLen = (int) len;
                        p += (int) len + 2;
                    }
                }
            }
            acc.readerIndex(p);
            if (kindLen == 7 || kindLen == 8) { // message, pmessage
                onMessage(lastBulk, lastLen, now);
            } else if (kindLen == 9 || kindLen == 10) { // subscribe, psubscribe
                subscribed.countDown();
            }
            return true;
        }

        private void onMessage(int payload, int len, long now) {
            long sentAt = acc.getLong(payload);
            int pub = acc.getInt(payload + 8);
            long seq = acc.getLong(payload + 12);
            received[pub]++;
            if (seq != nextSeq[pub]) {
                outOfOrder++;
            }
            nextSeq[pub] = seq + 1;
            if (now >= windowStart && now < windowEnd) {
                inWindow++;
                histogram.recordValue(Math.max(0, Math.min(now - sentAt, TimeUnit.SECONDS.toNanos(60))));
            }
        }
    }

    // ---- publishers -------------------------------------------------------------------------

    /** A publishing connection: closed loop (pipeline at a time) or open loop at a fixed rate. */
    private final class Publisher {
        final int id;
        final int channel;
        final int expectedReceivers;
        final byte[] header;
        final byte[] filler;
        Context context;
        NetSocket socket;
        final ByteBuf acc = Unpooled.buffer(1024);
        long sent;
        long replies;
        long repliesInWindow;
        long wrong;
        int outstanding;
        boolean stopped;

        Publisher(int id, int channel, int expectedReceivers) {
            this.id = id;
            this.channel = channel;
            this.expectedReceivers = expectedReceivers;
            byte[] ch = channel(channel).getBytes(StandardCharsets.US_ASCII);
            this.header = ("*3\r\n$7\r\nPUBLISH\r\n$" + ch.length + "\r\n" + channel(channel) + "\r\n$" + o.size() + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            this.filler = new byte[o.size() - 20];
            java.util.Arrays.fill(filler, (byte) 'x');
        }

        void attach(NetSocket so) {
            this.socket = so;
            this.context = Vertx.currentContext();
            so.handler(b -> onData(((BufferInternal) b).getByteBuf()));
            so.closeHandler(v -> closed());
        }

        /** sent, replies, replies in the window, wrong receiver counts. */
        long[] counts() {
            return new long[]{sent, replies, repliesInWindow, wrong};
        }

        void start() {
            send(o.pipeline());
        }

        void stop() {
            stopped = true;
        }

        void sendOne() {
            if (!stopped) {
                send(1);
            }
        }

        /** Sends {@code n} messages stamped with the time they are written. */
        private void send(int n) {
            Buffer b = Buffer.buffer(n * (header.length + o.size() + 2));
            long now = System.nanoTime();
            for (int k = 0; k < n; k++) {
                b.appendBytes(header).appendLong(now).appendInt(id).appendLong(sent + k).appendBytes(filler)
                        .appendByte((byte) '\r').appendByte((byte) '\n');
            }
            sent += n;
            outstanding += n;
            socket.write(b);
        }

        private void onData(ByteBuf in) {
            acc.writeBytes(in);
            int end = acc.writerIndex();
            int i = acc.readerIndex();
            long now = System.nanoTime();
            int done = 0;
            while (i < end) {
                byte type = acc.getByte(i);
                int cr = acc.indexOf(i, end, (byte) '\r');
                if (cr < 0 || cr + 1 >= end) {
                    break;
                }
                if (type != ':') {
                    throw new IllegalStateException("PUBLISH answered " + acc.toString(i, cr - i, StandardCharsets.ISO_8859_1));
                }
                long v = 0;
                for (int k = i + 1; k < cr; k++) {
                    v = v * 10 + (acc.getByte(k) - '0');
                }
                if (v != expectedReceivers) {
                    wrong++;
                }
                done++;
                i = cr + 2;
            }
            acc.readerIndex(i);
            acc.discardReadBytes();
            replies += done;
            outstanding -= done;
            if (now >= windowStart && now < windowEnd) {
                repliesInWindow += done;
            }
            if (o.rate() == 0 && !stopped && outstanding == 0) {
                send(o.pipeline());
            }
        }
    }

    /** A command as a RESP array. */
    static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
