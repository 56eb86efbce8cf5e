package dev.logcore.app.pubsub;

import dev.logcore.app.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pub/sub server of one event loop. Every instance listens on the same port (Vert.x shares the
 * socket and hands each accepted connection to one instance's loop), owns a {@link LoopHub}, and
 * puts a {@link RespConnection} into each of its connections' pipelines: the protocol runs as a
 * Netty handler on the connection's loop, with Vert.x providing the server, the transport, the
 * load balancing between loops and the graceful shutdown.
 */
public final class PubSubVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(PubSubVerticle.class.getName());
    private static final byte[] MAX_CLIENTS = Resp.ascii("-ERR max number of clients reached\r\n");

    private final int index;
    private final PubSubRegistry registry;
    private final ServerLimits limits;
    private final PubSubCommands commands;
    private final String host;
    private final int port;
    private final long shutdownTimeoutMs;
    private final AtomicLong clientIds;
    private NetServer server;
    private LoopHub hub;

    /**
     * @param index this instance's event loop number, 0 to registry.loopCount()-1
     * @param port the port; 0 makes every instance share one free port
     * @param clientIds the source of client ids, shared by the instances
     */
    public PubSubVerticle(int index, PubSubRegistry registry, ServerLimits limits, String host, int port,
                          long shutdownTimeoutMs, AtomicLong clientIds) {
        this.index = index;
        this.registry = registry;
        this.limits = limits;
        this.commands = new PubSubCommands(limits, host, port);
        this.host = host;
        this.port = port;
        this.shutdownTimeoutMs = shutdownTimeoutMs;
        this.clientIds = clientIds;
    }

    @Override
    public Future<?> start() {
        ContextInternal ctx = (ContextInternal) context;
        hub = new LoopHub(index, ctx.nettyEventLoop(), registry);
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                // A negative port makes Vert.x share one random port between the instances.
                .setPort(port == 0 ? -1 : port)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        server = vertx.createNetServer(options).connectHandler(this::connected);
        return server.listen();
    }

    /** The port actually bound. */
    public int actualPort() {
        return server.actualPort();
    }

    public LoopHub hub() {
        return hub;
    }

    private void connected(NetSocket socket) {
        NetSocketInternal so = (NetSocketInternal) socket;
        ChannelHandlerContext chctx = so.channelHandlerContext();
        if (registry.connections().incrementAndGet() > limits.maxConnections()) {
            registry.connections().decrementAndGet();
            hub.counters().disconnect(DisconnectReason.MAX_CONNECTIONS);
            LOG.log(Level.WARNING, "refused a connection from " + chctx.channel().remoteAddress()
                    + ": max-connections (" + limits.maxConnections() + ") reached");
            chctx.writeAndFlush(Unpooled.wrappedBuffer(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (chctx.channel().eventLoop() != hub.loop()) {
            // Vert.x registers a server verticle's connections on its context's loop; the hub's
            // single-thread design depends on it.
            registry.connections().decrementAndGet();
            LOG.log(Level.ERROR, "connection on an unexpected event loop; closing it");
            chctx.close();
            return;
        }
        RespConnection conn = new RespConnection(hub, limits, commands, clientIds.incrementAndGet());
        // Vert.x puts a ChunkedWriteHandler (for sendFile) in every pipeline; this protocol never
        // sends files, and each flush would pass through it.
        if (chctx.pipeline().get("chunkedWriter") != null) {
            chctx.pipeline().remove("chunkedWriter");
        }
        chctx.pipeline().addBefore("handler", "logcore-resp", conn);
        so.shutdownHandler(v -> conn.shutdownGracefully());
        // Anything that reached Vert.x's handler before ours was in place goes to the protocol.
        so.messageHandler(msg -> {
            if (msg instanceof ByteBuf) {
                conn.channelRead(chctx.pipeline().context(conn), msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        });
    }

    @Override
    public Future<?> stop() {
        // Stop accepting; connections get the shutdown event (they write what is pending and
        // close), and whatever is still open after the timeout is closed.
        return server.shutdown(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
    }
}
