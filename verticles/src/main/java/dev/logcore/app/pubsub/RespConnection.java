package dev.logcore.app.pubsub;

import dev.logcore.app.resp.Resp;
import dev.logcore.app.resp.RespParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One client connection, as a handler in the connection's Netty pipeline (placed before Vert.x's
 * own handler, see {@link PubSubVerticle}). It owns the connection's state on its event loop:
 * unparsed input, the output produced this turn, the subscriptions and the limits.
 *
 * <p>Input is parsed in place (the arguments are positions in the read buffer) and each command runs
 * as soon as it is complete, so pipelined commands cost no per-command allocation. Output goes into
 * one buffer per turn that {@link LoopHub} writes at the end of the turn.
 *
 * <p>Memory stays bounded: unprocessed input is capped by max-query-buffer; a connection whose
 * replies are not being read stops being read itself (its socket is not writable, so autoRead goes
 * off until it drains), and a subscriber, whose messages cannot be held back, is disconnected past
 * its output-buffer limits, as Redis does with {@code client-output-buffer-limit pubsub}.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RespConnection.class.getName());
    private static final int OUT_INITIAL = 2048;

    private final LoopHub hub;
    private final ServerLimits limits;
    private final PubSubCommands commands;
    private final RespParser parser;
    private final long id;

    private ChannelHandlerContext ctx;
    private Channel channel;
    private ChannelOutboundBuffer outbound;
    private ByteBuf input;
    private ByteBuf out;
    private boolean dirty;

    /** {@link #lastChannel}'s answer when the cache cannot tell. */
    static final Topic UNKNOWN = Topic.channel(new ChannelName(new byte[0]), 1);

    // The channel this connection last published to, and its topic (null: none), so a publisher
    // publishing to one channel does not hash and look the name up for every message.
    private byte[] lastChannel;
    private Topic lastTopic;
    private int lastGeneration;

    private Set<ChannelName> channels;
    private Set<ChannelName> patterns;
    private byte[] name;

    /** Closed or being closed without flushing: ignore input, drop messages. */
    private boolean closing;
    /** Write what is pending, then close (QUIT, a protocol error, shutdown). */
    private boolean closeAfterFlush;
    private boolean outputPaused;
    private long overSoftLimitSince;
    private DisconnectReason reason;

    RespConnection(LoopHub hub, ServerLimits limits, PubSubCommands commands, long id) {
        this.hub = hub;
        this.limits = limits;
        this.commands = commands;
        this.parser = new RespParser(limits.maxBulkLength(), limits.maxInlineLength());
        this.id = id;
    }

    long id() {
        return id;
    }

    LoopHub hub() {
        return hub;
    }

    byte[] name() {
        return name;
    }

    void name(byte[] name) {
        this.name = name;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.outbound = channel.unsafe().outboundBuffer();
        hub.added(this);
        updateAutoRead();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        hub.counters().add(LoopCounters.BYTES_IN, in.readableBytes());
        if (closing || closeAfterFlush) {
            in.release();
            return;
        }
        // Messages published before this input was sent go out before its replies.
        hub.drainIfPending();
        ByteBuf buf;
        if (input == null) {
            buf = in;
        } else {
            input.writeBytes(in);
            in.release();
            buf = input;
        }
        try {
            process(buf);
        } finally {
            if (buf == in) {
                if (in.isReadable() && !closing && !closeAfterFlush) {
                    input = ctx.alloc().heapBuffer(Math.max(256, in.readableBytes() * 2));
                    input.writeBytes(in);
                }
                in.release();
            } else if (!input.isReadable() || closing || closeAfterFlush) {
                input.release();
                input = null;
            } else if (input.readerIndex() > input.capacity() >>> 1) {
                input.discardReadBytes();
            }
        }
        if (input != null && input.readableBytes() > limits.maxQueryBuffer()) {
            closeNow(DisconnectReason.QUERY_BUFFER_LIMIT, "unprocessed input of " + input.readableBytes()
                    + " bytes passed max-query-buffer " + limits.maxQueryBuffer());
        }
    }

    /** See {@link LoopHub#readComplete()}. Not propagated: Vert.x's handler behind this one has nothing to do. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        hub.readComplete();
    }

    private void process(ByteBuf buf) {
        while (!closing && !closeAfterFlush) {
            int r = parser.parse(buf);
            if (r == RespParser.INCOMPLETE) {
                return;
            }
            if (r == RespParser.ERROR) {
                Resp.error(out(), parser.error());
                LOG.log(Level.DEBUG, () -> "protocol error from " + describe() + ": " + parser.error());
                closeAfterFlush(DisconnectReason.PROTOCOL_ERROR);
                buf.skipBytes(buf.readableBytes());
                return;
            }
            if (r == RespParser.COMMAND) {
                hub.counters().add(LoopCounters.COMMANDS, 1);
                commands.execute(this, parser.args());
            }
            parser.consume(buf);
        }
    }

    /** This turn's output buffer; the connection is written at the end of the turn. */
    ByteBuf out() {
        if (out == null) {
            out = ctx.alloc().directBuffer(OUT_INITIAL);
        }
        if (!dirty) {
            dirty = true;
            hub.markDirty(this);
        }
        return out;
    }

    /**
     * Appends a pub/sub message: {@code head} then {@code src[from, from+length)}.
     *
     * @return false if the message was dropped because the connection is going away
     */
    boolean push(byte[] head, byte[] src, int from, int length) {
        if (closing || closeAfterFlush) {
            return false;
        }
        ByteBuf o = out();
        o.writeBytes(head);
        o.writeBytes(src, from, length);
        checkOutputLimits(o);
        return true;
    }

    /** Redis's client-output-buffer-limit check for a pub/sub client, done as output is added. */
    private void checkOutputLimits(ByteBuf o) {
        long hard = limits.outputHardLimit();
        long soft = limits.outputSoftLimit();
        if (hard == 0 && soft == 0) {
            return;
        }
        long pending = o.readableBytes() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
        if (hard > 0 && pending >= hard) {
            closeNow(DisconnectReason.OUTPUT_HARD_LIMIT, "pending output " + pending
                    + " bytes reached the pub/sub hard limit " + hard);
            return;
        }
        if (soft > 0 && pending >= soft) {
            long now = System.nanoTime() | 1;
            if (overSoftLimitSince == 0) {
                overSoftLimitSince = now;
            } else if (now - overSoftLimitSince > limits.outputSoftSeconds() * 1_000_000_000L) {
                closeNow(DisconnectReason.OUTPUT_SOFT_LIMIT, "pending output " + pending + " bytes stayed over the pub/sub soft limit "
                        + soft + " for more than " + limits.outputSoftSeconds() + " s");
            }
        } else {
            overSoftLimitSince = 0;
        }
    }

    /** Writes this turn's output; called by the hub at the end of the turn. */
    void flush() {
        dirty = false;
        if (closing) {
            return;
        }
        ByteBuf b = out;
        if (b != null && b.isReadable()) {
            out = null;
            hub.counters().add(LoopCounters.BYTES_OUT, b.readableBytes());
            if (closeAfterFlush) {
                ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
                closing = true;
                return;
            }
            ctx.writeAndFlush(b, ctx.voidPromise());
        } else if (closeAfterFlush) {
            closing = true;
            if (b != null) {
                out = null;
                b.release();
            }
            // Close after the writes already queued in the channel, not before: an empty write
            // completes only when everything ahead of it has gone out.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!channel.isWritable() && !outputPaused) {
            outputPaused = true;
            updateAutoRead();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (outputPaused && channel.isWritable()) {
            outputPaused = false;
            updateAutoRead();
        }
    }

    /** Reads only while nothing holds the connection back. */
    void updateAutoRead() {
        boolean want = !closing && !closeAfterFlush && !outputPaused && !hub.readPaused();
        if (channel.config().isAutoRead() != want) {
            channel.config().setAutoRead(want);
        }
    }

    /** Writes what is pending, then closes (QUIT, protocol errors). */
    void closeAfterFlush(DisconnectReason why) {
        if (closing || closeAfterFlush) {
            return;
        }
        closeAfterFlush = true;
        recordReason(why);
        updateAutoRead();
        if (!dirty) {
            out();
        }
    }

    /** The server is shutting down: stop reading, write what is pending, close. */
    void shutdownGracefully() {
        closeAfterFlush(DisconnectReason.SHUTDOWN);
    }

    /** Closes at once, dropping pending output (output limits, oversized input). */
    void closeNow(DisconnectReason why, String message) {
        if (closing) {
            return;
        }
        closing = true;
        recordReason(why);
        LOG.log(Level.WARNING, "closing client " + describe() + ": " + message);
        if (out != null) {
            out.release();
            out = null;
        }
        ctx.close();
    }

    private void recordReason(DisconnectReason why) {
        if (reason == null) {
            reason = why;
            hub.counters().disconnect(why);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        recordReason(DisconnectReason.CLIENT_CLOSED);
        unsubscribeAll(false);
        unpsubscribeAll(false);
        if (out != null) {
            out.release();
            out = null;
        }
        if (input != null) {
            input.release();
            input = null;
        }
        hub.removed(this);
        hub.registry().connections().decrementAndGet();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "client " + describe() + ": " + cause);
        } else {
            LOG.log(Level.WARNING, "client " + describe() + " failed", cause);
        }
        if (!closing) {
            closing = true;
            recordReason(DisconnectReason.IO_ERROR);
            ctx.close();
        }
    }

    String describe() {
        return "id=" + id + " addr=" + (channel == null ? "?" : channel.remoteAddress());
    }

    /**
     * The topic of channel {@code buf[index, index+length)} if this connection published to it last
     * and that answer still holds: the topic was not dropped since, or, for "no subscribers", no
     * channel got its first subscriber since. {@link #UNKNOWN} otherwise.
     */
    Topic lastChannel(ByteBuf buf, int index, int length) {
        byte[] n = lastChannel;
        if (n == null || n.length != length) {
            return UNKNOWN;
        }
        for (int i = 0; i < length; i++) {
            if (buf.getByte(index + i) != n[i]) {
                return UNKNOWN;
            }
        }
        Topic t = lastTopic;
        if (t != null) {
            return t.isRemoved() ? UNKNOWN : t;
        }
        return lastGeneration == hub.registry().generation() ? null : UNKNOWN;
    }

    /** Remembers a lookup; {@code generation} was read before it. */
    void rememberChannel(ByteBuf buf, int index, int length, Topic topic, int generation) {
        if (lastChannel == null || lastChannel.length != length) {
            lastChannel = length <= 256 ? new byte[length] : null;
        }
        if (lastChannel != null) {
            buf.getBytes(index, lastChannel);
        }
        lastTopic = topic;
        lastGeneration = generation;
    }

    // ---- subscriptions -------------------------------------------------------------------------

    /** Channel and pattern subscriptions together (Redis's count in subscribe replies). */
    int subscriptionCount() {
        return (channels == null ? 0 : channels.size()) + (patterns == null ? 0 : patterns.size());
    }

    /** Subscribes; returns false if it already was. */
    boolean subscribe(ChannelName channel) {
        if (channels == null) {
            channels = new LinkedHashSet<>();
        }
        if (!channels.add(channel)) {
            return false;
        }
        hub.registry().subscribe(channel, hub.index(), this);
        hub.counters().add(LoopCounters.SUBSCRIPTIONS, 1);
        return true;
    }

    boolean unsubscribe(ChannelName channel) {
        if (channels == null || !channels.remove(channel)) {
            return false;
        }
        hub.registry().unsubscribe(channel, hub.index(), this);
        hub.counters().add(LoopCounters.SUBSCRIPTIONS, -1);
        return true;
    }

    boolean psubscribe(ChannelName pattern) {
        if (patterns == null) {
            patterns = new LinkedHashSet<>();
        }
        if (!patterns.add(pattern)) {
            return false;
        }
        hub.registry().psubscribe(pattern, hub.index(), this);
        hub.counters().add(LoopCounters.SUBSCRIPTIONS, 1);
        return true;
    }

    boolean punsubscribe(ChannelName pattern) {
        if (patterns == null || !patterns.remove(pattern)) {
            return false;
        }
        hub.registry().punsubscribe(pattern, hub.index(), this);
        hub.counters().add(LoopCounters.SUBSCRIPTIONS, -1);
        return true;
    }

    /** The subscribed channels, in subscription order. */
    List<ChannelName> channels() {
        return channels == null ? List.of() : List.copyOf(channels);
    }

    List<ChannelName> patterns() {
        return patterns == null ? List.of() : List.copyOf(patterns);
    }

    /** Unsubscribes from every channel, replying for each when {@code reply} (UNSUBSCRIBE with no argument). */
    void unsubscribeAll(boolean reply) {
        for (ChannelName c : channels()) {
            unsubscribe(c);
            if (reply) {
                commands.replySubscription(this, PubSubCommands.UNSUBSCRIBE_HEAD, c.bytes());
            }
        }
    }

    void unpsubscribeAll(boolean reply) {
        for (ChannelName p : patterns()) {
            punsubscribe(p);
            if (reply) {
                commands.replySubscription(this, PubSubCommands.PUNSUBSCRIBE_HEAD, p.bytes());
            }
        }
    }
}
