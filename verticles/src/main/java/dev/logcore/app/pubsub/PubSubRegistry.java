package dev.logcore.app.pubsub;

import dev.logcore.app.resp.GlobMatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every subscription of the server, shared by all event loops: which channels and patterns have
 * subscribers, and on which loops. Publishing reads it without locks (a concurrent map for
 * channels, an array swapped whole for patterns); subscribing changes it under the map's per-key
 * lock (channels) or one lock (patterns, which change rarely and are few).
 *
 * <p>Each loop's subscriber lists are changed and walked only by that loop (see
 * {@link Subscribers}); what other loops see is the count, which is what PUBLISH answers with.
 */
public final class PubSubRegistry {
    private static final Topic[] NO_TOPICS = new Topic[0];

    private final int loopCount;
    private final LoopHub[] hubs;
    private final ConcurrentHashMap<Object, Topic> channels = new ConcurrentHashMap<>();
    private final Object patternLock = new Object();
    private final Map<ChannelName, Topic> patternsByName = new HashMap<>();
    private volatile Topic[] patterns = NO_TOPICS;
    private final AtomicInteger connections = new AtomicInteger();
    /** Bumped whenever a channel gets its first subscriber: a cached "no such channel" is stale then. */
    private volatile int generation;

    public PubSubRegistry(int loopCount) {
        if (loopCount < 1) {
            throw new IllegalArgumentException("loopCount must be at least 1");
        }
        this.loopCount = loopCount;
        this.hubs = new LoopHub[loopCount];
    }

    public int loopCount() {
        return loopCount;
    }

    void register(LoopHub hub) {
        synchronized (hubs) {
            if (hubs[hub.index()] != null) {
                throw new IllegalStateException("event loop " + hub.index() + " already has a hub");
            }
            hubs[hub.index()] = hub;
        }
    }

    LoopHub hub(int index) {
        return hubs[index];
    }

    /** The hubs started so far (null entries for loops not started). */
    public List<LoopHub> hubs() {
        synchronized (hubs) {
            List<LoopHub> list = new ArrayList<>();
            for (LoopHub h : hubs) {
                if (h != null) {
                    list.add(h);
                }
            }
            return list;
        }
    }

    /** Open client connections, all loops together. */
    public AtomicInteger connections() {
        return connections;
    }

    /** The channel named by a {@link ChannelName} or a {@link ChannelName.Probe}, or null. */
    Topic channel(Object name) {
        return channels.get(name);
    }

    /** Patterns with subscribers, as one snapshot. */
    Topic[] patterns() {
        return patterns;
    }

    int generation() {
        return generation;
    }

    void subscribe(ChannelName name, int loop, RespConnection c) {
        channels.compute(name, (k, t) -> {
            Topic topic = t;
            if (topic == null) {
                topic = Topic.channel(name, loopCount);
                generation++; // under the map's lock for this key; a racing bump elsewhere is as good
            }
            topic.on(loop).add(c);
            return topic;
        });
    }

    void unsubscribe(ChannelName name, int loop, RespConnection c) {
        channels.computeIfPresent(name, (k, t) -> {
            t.on(loop).remove(c);
            if (t.total() == 0) {
                t.markRemoved();
                return null;
            }
            return t;
        });
    }

    void psubscribe(ChannelName pattern, int loop, RespConnection c) {
        synchronized (patternLock) {
            Topic t = patternsByName.get(pattern);
            if (t == null) {
                t = Topic.pattern(pattern, loopCount);
                patternsByName.put(pattern, t);
                Topic[] next = Arrays.copyOf(patterns, patterns.length + 1);
                next[next.length - 1] = t;
                patterns = next;
            }
            t.on(loop).add(c);
        }
    }

    void punsubscribe(ChannelName pattern, int loop, RespConnection c) {
        synchronized (patternLock) {
            Topic t = patternsByName.get(pattern);
            if (t == null) {
                return;
            }
            t.on(loop).remove(c);
            if (t.total() == 0) {
                patternsByName.remove(pattern);
                Topic[] cur = patterns;
                Topic[] next = new Topic[cur.length - 1];
                int j = 0;
                for (Topic x : cur) {
                    if (x != t) {
                        next[j++] = x;
                    }
                }
                patterns = next;
            }
        }
    }

    /** Channels with at least one subscriber (PUBSUB CHANNELS), those matching {@code pattern} if given. */
    public List<byte[]> activeChannels(byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Topic t : channels.values()) {
            byte[] n = t.name().bytes();
            if (pattern == null || GlobMatcher.matches(pattern, n, n.length)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Subscribers of a channel, patterns not counted (PUBSUB NUMSUB). */
    public int subscribers(ChannelName channel) {
        Topic t = channels.get(channel);
        return t == null ? 0 : t.total();
    }

    /** Channels with subscribers. */
    public int channelCount() {
        return channels.size();
    }

    /** Distinct patterns with subscribers (PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.length;
    }
}
