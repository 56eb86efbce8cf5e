package dev.logcore.app.pubsub;

import dev.logcore.app.resp.CommandArgs;
import dev.logcore.app.resp.GlobMatcher;
import dev.logcore.app.resp.Resp;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands of the pub/sub server and their replies, which follow Redis 7.0 in RESP2 byte for
 * byte, errors included: the checks run in Redis's order (unknown command, unknown subcommand,
 * arity, then "not allowed in subscribed mode") with Redis's texts.
 *
 * <p>Shared by every connection; holds no per-connection state.
 */
final class PubSubCommands {
    static final byte[] SUBSCRIBE_HEAD = Resp.ascii("*3\r\n$9\r\nsubscribe\r\n");
    static final byte[] UNSUBSCRIBE_HEAD = Resp.ascii("*3\r\n$11\r\nunsubscribe\r\n");
    static final byte[] PSUBSCRIBE_HEAD = Resp.ascii("*3\r\n$10\r\npsubscribe\r\n");
    static final byte[] PUNSUBSCRIBE_HEAD = Resp.ascii("*3\r\n$12\r\npunsubscribe\r\n");
    private static final byte[] PONG_PUSH_HEAD = Resp.ascii("*2\r\n$4\r\npong\r\n");
    private static final byte[] EMPTY_BULK = Resp.ascii("$0\r\n\r\n");
    private static final byte[] RESET = Resp.ascii("+RESET\r\n");
    /** The Redis version whose RESP2 pub/sub behaviour this server follows; HELLO reports it. */
    static final String COMPAT_VERSION = "7.0.0";

    /** A command: its Redis name, arity (negative: at least), and whether subscribed clients may send it. */
    enum Command {
        PUBLISH("publish", 3, false),
        SUBSCRIBE("subscribe", -2, true),
        UNSUBSCRIBE("unsubscribe", -1, true),
        PSUBSCRIBE("psubscribe", -2, true),
        PUNSUBSCRIBE("punsubscribe", -1, true),
        PING("ping", -1, true),
        QUIT("quit", -1, true),
        RESET("reset", 1, true),
        ECHO("echo", 2, false),
        HELLO("hello", -1, false),
        PUBSUB("pubsub", -2, false),
        CONFIG("config", -2, false),
        CLIENT("client", -2, false),
        COMMAND("command", -1, false);

        final String name;
        final String upper;
        final int arity;
        final boolean allowedWhenSubscribed;

        Command(String name, int arity, boolean allowedWhenSubscribed) {
            this.name = name;
            this.upper = name.toUpperCase(java.util.Locale.ROOT);
            this.arity = arity;
            this.allowedWhenSubscribed = allowedWhenSubscribed;
        }

        boolean isContainer() {
            return this == PUBSUB || this == CONFIG || this == CLIENT || this == COMMAND;
        }
    }

    /** A subcommand of a container command, with its Redis arity. */
    private record Sub(String upper, String fullName, int arity) {
    }

    private static final Map<Command, List<Sub>> SUBCOMMANDS = Map.of(
            Command.PUBSUB, List.of(new Sub("CHANNELS", "pubsub|channels", -2), new Sub("NUMSUB", "pubsub|numsub", -2),
                    new Sub("NUMPAT", "pubsub|numpat", 2)),
            Command.CONFIG, List.of(new Sub("GET", "config|get", -3)),
            Command.CLIENT, List.of(new Sub("ID", "client|id", 2), new Sub("GETNAME", "client|getname", 2),
                    new Sub("SETNAME", "client|setname", 3)),
            Command.COMMAND, List.of(new Sub("COUNT", "command|count", 2)));

    private static final Command[] COMMANDS = Command.values();

    /** What CONFIG GET reports: the few Redis parameters that mean something here. */
    private final Map<String, byte[]> configValues;

    PubSubCommands(ServerLimits limits, String host, int port) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("save", new byte[0]);
        m.put("appendonly", Resp.ascii("no"));
        m.put("bind", Resp.ascii(host));
        m.put("port", Resp.ascii(Integer.toString(port)));
        m.put("maxclients", Resp.ascii(Integer.toString(limits.maxConnections())));
        m.put("proto-max-bulk-len", Resp.ascii(Integer.toString(limits.maxBulkLength())));
        m.put("client-query-buffer-limit", Resp.ascii(Long.toString(limits.maxQueryBuffer())));
        m.put("client-output-buffer-limit", Resp.ascii("normal 0 0 0 slave 0 0 0 pubsub " + limits.outputHardLimit()
                + " " + limits.outputSoftLimit() + " " + limits.outputSoftSeconds()));
        this.configValues = m;
    }

    void execute(RespConnection c, CommandArgs a) {
        Command cmd = lookup(a);
        if (cmd == null) {
            Resp.error(c.out(), unknownCommand(a));
            return;
        }
        String fullName = cmd.name;
        int arity = cmd.arity;
        Sub sub = null;
        if (cmd.isContainer() && a.count() >= 2) {
            for (Sub s : SUBCOMMANDS.get(cmd)) {
                if (a.is(1, s.upper)) {
                    sub = s;
                }
            }
            if (sub == null) {
                Resp.error(c.out(), "unknown subcommand '" + cString(a, 1, 128) + "'. Try " + upperAscii(cString(a, 0, Integer.MAX_VALUE)) + " HELP.");
                return;
            }
            fullName = sub.fullName;
            arity = sub.arity;
        }
        if ((arity > 0 && a.count() != arity) || a.count() < -arity) {
            Resp.error(c.out(), "wrong number of arguments for '" + fullName + "' command");
            return;
        }
        if (!cmd.allowedWhenSubscribed && c.subscriptionCount() > 0) {
            Resp.error(c.out(), "Can't execute '" + fullName
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return;
        }
        switch (cmd) {
            case PUBLISH -> {
                int n = c.hub().publish(c, a.buffer(), a.offset(1), a.length(1), a.offset(2), a.length(2));
                Resp.integer(c.out(), n);
            }
            case SUBSCRIBE -> {
                for (int i = 1; i < a.count(); i++) {
                    byte[] ch = a.bytes(i);
                    c.subscribe(new ChannelName(ch));
                    replySubscription(c, SUBSCRIBE_HEAD, ch);
                }
            }
            case UNSUBSCRIBE -> {
                if (a.count() == 1) {
                    if (c.channels().isEmpty()) {
                        replySubscription(c, UNSUBSCRIBE_HEAD, null);
                    } else {
                        c.unsubscribeAll(true);
                    }
                } else {
                    for (int i = 1; i < a.count(); i++) {
                        byte[] ch = a.bytes(i);
                        c.unsubscribe(new ChannelName(ch));
                        replySubscription(c, UNSUBSCRIBE_HEAD, ch);
                    }
                }
            }
            case PSUBSCRIBE -> {
                for (int i = 1; i < a.count(); i++) {
                    byte[] p = a.bytes(i);
                    c.psubscribe(new ChannelName(p));
                    replySubscription(c, PSUBSCRIBE_HEAD, p);
                }
            }
            case PUNSUBSCRIBE -> {
                if (a.count() == 1) {
                    if (c.patterns().isEmpty()) {
                        replySubscription(c, PUNSUBSCRIBE_HEAD, null);
                    } else {
                        c.unpsubscribeAll(true);
                    }
                } else {
                    for (int i = 1; i < a.count(); i++) {
                        byte[] p = a.bytes(i);
                        c.punsubscribe(new ChannelName(p));
                        replySubscription(c, PUNSUBSCRIBE_HEAD, p);
                    }
                }
            }
            case PING -> ping(c, a);
            case QUIT -> {
                c.out().writeBytes(Resp.OK);
                c.closeAfterFlush(DisconnectReason.QUIT);
            }
            case RESET -> {
                c.unsubscribeAll(false);
                c.unpsubscribeAll(false);
                c.name(null);
                c.out().writeBytes(RESET);
            }
            case ECHO -> Resp.bulk(c.out(), a.buffer(), a.offset(1), a.length(1));
            case HELLO -> hello(c, a);
            case PUBSUB -> pubsub(c, a, sub);
            case CONFIG -> configGet(c, a);
            case CLIENT -> client(c, a, sub);
            case COMMAND -> {
                if (sub == null) {
                    Resp.error(c.out(), unknownCommand(a));
                } else {
                    Resp.integer(c.out(), COMMANDS.length);
                }
            }
        }
    }

    private static Command lookup(CommandArgs a) {
        // PUBLISH first: it is the hot path.
        if (a.is(0, "PUBLISH")) {
            return Command.PUBLISH;
        }
        int len = a.length(0);
        for (Command c : COMMANDS) {
            if (c.upper.length() == len && a.is(0, c.upper)) {
                return c;
            }
        }
        return null;
    }

    /** Subscription confirmations: {@code head}, the channel (null: a null bulk), the subscription count. */
    void replySubscription(RespConnection c, byte[] head, byte[] channel) {
        ByteBuf out = c.out();
        out.writeBytes(head);
        if (channel == null) {
            out.writeBytes(Resp.NULL_BULK);
        } else {
            Resp.bulk(out, channel);
        }
        Resp.integer(out, c.subscriptionCount());
    }

    private static void ping(RespConnection c, CommandArgs a) {
        if (a.count() > 2) {
            Resp.error(c.out(), "wrong number of arguments for 'ping' command");
            return;
        }
        ByteBuf out = c.out();
        if (c.subscriptionCount() > 0) {
            out.writeBytes(PONG_PUSH_HEAD);
            if (a.count() == 1) {
                out.writeBytes(EMPTY_BULK);
            } else {
                Resp.bulk(out, a.buffer(), a.offset(1), a.length(1));
            }
        } else if (a.count() == 1) {
            out.writeBytes(Resp.PONG);
        } else {
            Resp.bulk(out, a.buffer(), a.offset(1), a.length(1));
        }
    }

    /**
     * HELLO as a server that speaks only RESP2: HELLO 3 gets the "unknown command" error a Redis
     * without HELLO gives (clients such as Lettuce and the Vert.x Redis client then go on in RESP2);
     * HELLO and HELLO 2 answer the server map as a flat array, as Redis 6+ does in RESP2.
     */
    private static void hello(RespConnection c, CommandArgs a) {
        int next = 1;
        if (a.count() >= 2) {
            long[] v = new long[1];
            if (!dev.logcore.app.resp.RedisNumbers.string2ll(a.buffer(), a.offset(1), a.length(1), v)) {
                Resp.error(c.out(), "Protocol version is not an integer or out of range");
                return;
            }
            next = 2;
            if (v[0] < 2 || v[0] > 3) {
                Resp.error(c.out(), "-NOPROTO unsupported protocol version");
                return;
            }
            if (v[0] == 3) {
                // RESP3 is not spoken here. The answer is a RESP2-only Redis's (5.x, which has no
                // HELLO): "unknown command". Lettuce falls back to RESP2 on it or on NOPROTO, the
                // Vert.x Redis client only on it.
                Resp.error(c.out(), unknownCommand(a));
                return;
            }
        }
        String user = null;
        byte[] setName = null;
        for (int j = next; j < a.count(); j++) {
            int more = a.count() - 1 - j;
            if (a.is(j, "AUTH") && more >= 2) {
                user = a.latin1(j + 1);
                j += 2;
            } else if (a.is(j, "SETNAME") && more >= 1) {
                setName = a.bytes(j + 1);
                j++;
            } else {
                Resp.error(c.out(), "Syntax error in HELLO option '" + cString(a, j, Integer.MAX_VALUE) + "'");
                return;
            }
        }
        if (user != null && !user.equals("default")) {
            // No users but the default one, which needs no password (Redis's default).
            Resp.error(c.out(), "-WRONGPASS invalid username-password pair or user is disabled.");
            return;
        }
        if (setName != null && !validClientName(setName)) {
            Resp.error(c.out(), "Client names cannot contain spaces, newlines or special characters.");
            return;
        }
        if (setName != null) {
            c.name(setName.length == 0 ? null : setName);
        }
        ByteBuf out = c.out();
        Resp.arrayHeader(out, 14);
        Resp.bulk(out, Resp.ascii("server"));
        Resp.bulk(out, Resp.ascii("logcore"));
        Resp.bulk(out, Resp.ascii("version"));
        Resp.bulk(out, Resp.ascii(COMPAT_VERSION));
        Resp.bulk(out, Resp.ascii("proto"));
        Resp.integer(out, 2);
        Resp.bulk(out, Resp.ascii("id"));
        Resp.integer(out, c.id());
        Resp.bulk(out, Resp.ascii("mode"));
        Resp.bulk(out, Resp.ascii("standalone"));
        Resp.bulk(out, Resp.ascii("role"));
        Resp.bulk(out, Resp.ascii("master"));
        Resp.bulk(out, Resp.ascii("modules"));
        out.writeBytes(Resp.EMPTY_ARRAY);
    }

    private static boolean validClientName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    private static void pubsub(RespConnection c, CommandArgs a, Sub sub) {
        PubSubRegistry registry = c.hub().registry();
        ByteBuf out = c.out();
        switch (sub.upper) {
            case "CHANNELS" -> {
                List<byte[]> names = registry.activeChannels(a.count() >= 3 ? a.bytes(2) : null);
                Resp.arrayHeader(out, names.size());
                for (byte[] n : names) {
                    Resp.bulk(out, n);
                }
            }
            case "NUMSUB" -> {
                Resp.arrayHeader(out, (a.count() - 2) * 2);
                for (int i = 2; i < a.count(); i++) {
                    byte[] n = a.bytes(i);
                    Resp.bulk(out, n);
                    Resp.integer(out, registry.subscribers(new ChannelName(n)));
                }
            }
            case "NUMPAT" -> Resp.integer(out, registry.patternCount());
            default -> throw new IllegalStateException(sub.upper);
        }
    }

    /** CONFIG GET: exact names, or glob patterns matched without regard to case, as Redis does. */
    private void configGet(RespConnection c, CommandArgs a) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        for (int i = 2; i < a.count(); i++) {
            String p = a.latin1(i);
            boolean glob = p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
            for (Map.Entry<String, byte[]> e : configValues.entrySet()) {
                boolean hit = glob
                        ? GlobMatcher.matches(Resp.ascii(p.toLowerCase(java.util.Locale.ROOT)), Resp.ascii(e.getKey()), e.getKey().length())
                        : e.getKey().equalsIgnoreCase(p);
                if (hit) {
                    // Redis names an exact match as it was asked for ("CONFIG GET SAVE" answers "SAVE").
                    found.putIfAbsent(glob ? e.getKey() : p, e.getValue());
                }
            }
        }
        ByteBuf out = c.out();
        Resp.arrayHeader(out, found.size() * 2);
        for (Map.Entry<String, byte[]> e : found.entrySet()) {
            Resp.bulk(out, Resp.ascii(e.getKey()));
            Resp.bulk(out, e.getValue());
        }
    }

    private static void client(RespConnection c, CommandArgs a, Sub sub) {
        ByteBuf out = c.out();
        switch (sub.upper) {
            case "ID" -> Resp.integer(out, c.id());
            case "GETNAME" -> {
                if (c.name() == null) {
                    out.writeBytes(Resp.NULL_BULK);
                } else {
                    Resp.bulk(out, c.name());
                }
            }
            case "SETNAME" -> {
                byte[] n = a.bytes(2);
                if (!validClientName(n)) {
                    Resp.error(out, "Client names cannot contain spaces, newlines or special characters.");
                } else {
                    c.name(n.length == 0 ? null : n);
                    out.writeBytes(Resp.OK);
                }
            }
            default -> throw new IllegalStateException(sub.upper);
        }
    }

    /**
     * Redis's "unknown command" text: the name and the first arguments quoted, each cut at a NUL
     * byte as C's %s does, the arguments together cut at about 128 bytes.
     */
    private static String unknownCommand(CommandArgs a) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < a.count() && args.length() < 128; i++) {
            String arg = cString(a, i, 128 - args.length());
            args.append('\'').append(arg).append("' ");
        }
        return "unknown command '" + cString(a, 0, 128) + "', with args beginning with: " + args;
    }

    /** Argument {@code i} as C's "%.*s" prints it: up to the first NUL byte, at most {@code max} bytes. */
    private static String cString(CommandArgs a, int i, int max) {
        int len = a.length(i);
        int n = 0;
        while (n < len && n < max && a.byteAt(i, n) != 0) {
            n++;
        }
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) {
            sb.append((char) (a.byteAt(i, k) & 0xff));
        }
        return sb.toString();
    }

    private static String upperAscii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(ch >= 'a' && ch <= 'z' ? (char) (ch - 32) : ch);
        }
        return sb.toString();
    }

    /** The names of the commands served, for docs and tests. */
    static List<String> commandNames() {
        List<String> l = new ArrayList<>();
        for (Command c : COMMANDS) {
            l.add(c.upper);
        }
        return l;
    }
}
