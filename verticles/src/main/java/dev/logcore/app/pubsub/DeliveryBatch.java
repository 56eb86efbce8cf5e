package dev.logcore.app.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

/**
 * Messages one event loop published during one turn for the subscribers on another loop, handed
 * over in one go (one task, one wake-up) instead of one by one. Each message's encoded channel and
 * payload is copied in once; the receiving loop copies it to each of its subscribers.
 */
final class DeliveryBatch {
    private final ByteBuf data;
    private Topic[] channels = new Topic[16];
    private int[] start = new int[16];
    private int[] length = new int[16];
    private int[] patternsFrom = new int[16];
    private int[] patternsTo = new int[16];
    private Topic[] patterns = new Topic[4];
    private int count;
    private int patternCount;

    DeliveryBatch() {
        // On the heap: the receiving loop copies from its array into direct output buffers, the
        // cheapest copy there is, and no pooled memory crosses threads.
        this.data = Unpooled.buffer(4096);
    }

    /**
     * Adds a message for the subscribers on {@code loop}: of {@code channel} (or none), and of each
     * matched pattern that has subscribers there.
     */
    void add(Topic channel, Topic[] matched, int matchedCount, int loop, byte[] tail, int tailOffset, int tailLength) {
        if (count == channels.length) {
            int n = count * 2;
            channels = Arrays.copyOf(channels, n);
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            patternsFrom = Arrays.copyOf(patternsFrom, n);
            patternsTo = Arrays.copyOf(patternsTo, n);
        }
        channels[count] = channel;
        start[count] = data.writerIndex();
        length[count] = tailLength;
        data.writeBytes(tail, tailOffset, tailLength);
        patternsFrom[count] = patternCount;
        for (int k = 0; k < matchedCount; k++) {
            if (matched[k].on(loop).count() > 0) {
                if (patternCount == patterns.length) {
                    patterns = Arrays.copyOf(patterns, patternCount * 2);
                }
                patterns[patternCount++] = matched[k];
            }
        }
        patternsTo[count] = patternCount;
        count++;
    }

    /** Bytes held, for the receiving loop's backlog accounting. */
    long bytes() {
        return data.writerIndex();
    }

    /** Delivers every message through {@code hub}, on the receiving loop. */
    void deliverOn(LoopHub hub) {
        byte[] bytes = data.array();
        int base = data.arrayOffset();
        for (int i = 0; i < count; i++) {
            if (channels[i] != null) {
                hub.deliverLocal(channels[i], bytes, base + start[i], length[i]);
            }
            for (int k = patternsFrom[i]; k < patternsTo[i]; k++) {
                hub.deliverLocal(patterns[k], bytes, base + start[i], length[i]);
            }
        }
    }

    void release() {
        data.release();
    }
}
