package dev.logcore.app.pubsub;

import dev.logcore.app.resp.Resp;

/**
 * A channel or a pattern with subscribers: its name, its subscribers on each event loop, and the
 * bytes every message to it starts with, encoded once ({@code *3 message} for a channel,
 * {@code *4 pmessage <pattern>} for a pattern). The rest of a message (channel and payload) is
 * encoded once per PUBLISH and shared by every subscriber.
 */
final class Topic {
    static final byte[] MESSAGE_HEAD = Resp.ascii("*3\r\n$7\r\nmessage\r\n");

    private final ChannelName name;
    private final boolean pattern;
    private final byte[] head;
    private final Subscribers[] loops;
    /** Set when the registry drops the topic (no subscribers left); cached references check it. */
    private volatile boolean removed;

    private Topic(ChannelName name, boolean pattern, int loopCount) {
        this.name = name;
        this.pattern = pattern;
        if (pattern) {
            byte[] p = Resp.bulkBytes(name.bytes());
            byte[] prefix = Resp.ascii("*4\r\n$8\r\npmessage\r\n");
            head = new byte[prefix.length + p.length];
            System.arraycopy(prefix, 0, head, 0, prefix.length);
            System.arraycopy(p, 0, head, prefix.length, p.length);
        } else {
            head = MESSAGE_HEAD;
        }
        loops = new Subscribers[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new Subscribers();
        }
    }

    static Topic channel(ChannelName name, int loopCount) {
        return new Topic(name, false, loopCount);
    }

    static Topic pattern(ChannelName name, int loopCount) {
        return new Topic(name, true, loopCount);
    }

    ChannelName name() {
        return name;
    }

    boolean isPattern() {
        return pattern;
    }

    /** The encoded start of every message to this topic. */
    byte[] head() {
        return head;
    }

    boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** The subscribers on event loop {@code loop}. */
    Subscribers on(int loop) {
        return loops[loop];
    }

    /** Subscribers on every loop (a sum of volatile reads; exact when nobody subscribes meanwhile). */
    int total() {
        int n = 0;
        for (Subscribers s : loops) {
            n += s.count();
        }
        return n;
    }
}
