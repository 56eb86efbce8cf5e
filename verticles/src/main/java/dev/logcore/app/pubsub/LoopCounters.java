package dev.logcore.app.pubsub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one event loop. Only that loop writes them, so an increment needs no atomic
 * instruction; the metrics thread reads them with opaque reads (never torn, possibly a little
 * stale). Padded so two loops' counters never share a cache line.
 */
public final class LoopCounters {
    public static final int COMMANDS = 0;
    public static final int PUBLISHED = 1;
    public static final int DELIVERED = 2;
    public static final int BYTES_IN = 3;
    public static final int BYTES_OUT = 4;
    public static final int ACCEPTED = 5;
    /** Channel and pattern subscriptions of this loop's connections (goes up and down). */
    public static final int SUBSCRIPTIONS = 6;
    /** Messages dropped because their subscriber was being disconnected. */
    public static final int DROPPED = 7;
    private static final int DISCONNECTS = 8;
    private static final int PAD = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[PAD + DISCONNECTS + DisconnectReason.values().length + PAD];

    /** Adds {@code delta} to counter {@code which}; on the owning loop only. */
    public void add(int which, long delta) {
        int i = PAD + which;
        SLOT.setOpaque(slots, i, slots[i] + delta);
    }

    /** Counts a disconnect; on the owning loop only. */
    public void disconnect(DisconnectReason reason) {
        add(DISCONNECTS + reason.ordinal(), 1);
    }

    /** Reads counter {@code which}, from any thread. */
    public long get(int which) {
        return (long) SLOT.getOpaque(slots, PAD + which);
    }

    /** Reads a disconnect counter, from any thread. */
    public long disconnects(DisconnectReason reason) {
        return get(DISCONNECTS + reason.ordinal());
    }
}
