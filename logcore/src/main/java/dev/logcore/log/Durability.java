package dev.logcore.log;

import java.util.Locale;

/** When an append counts as acknowledged. docs/LOG.md states what each promises. */
public enum Durability {
    /**
     * The default: every batch is written and fdatasync'd in one ordered operation; an append's
     * future completes only after the sync that covers it succeeded.
     */
    DURABLE,
    /**
     * Appends are acknowledged once written to the operating system; the partition syncs every
     * {@link LogSettings#syncInterval()}. A machine crash may lose what was acknowledged in the last
     * interval (plus the sync's own time); a process crash loses nothing acknowledged.
     */
    INTERVAL,
    /**
     * Appends are acknowledged once written to the operating system; the log syncs only when it
     * seals a segment or closes. A machine crash may lose any unsynced suffix.
     */
    NONE;

    /** Parses {@code durable}, {@code interval} or {@code none} (any case). */
    public static Durability parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("durability '" + s + "' is none of durable, interval, none");
        }
    }
}
