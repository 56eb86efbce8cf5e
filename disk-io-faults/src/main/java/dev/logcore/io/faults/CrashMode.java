package dev.logcore.io.faults;

/** What a simulated crash leaves of the writes that were not synced. */
public enum CrashMode {
    /** Nothing unsynced reached the disk; new names whose directory was not synced are gone. */
    LOSE_ALL_UNSYNCED,
    /** Everything written reached the disk (a process crash: the page cache survives). */
    KEEP_ALL,
    /**
     * Any subset: per sector some prefix of its unsynced writes, the last write torn at a random
     * sector boundary, the size anywhere between the synced one and the written one, unsynced new
     * names kept or lost. Seeded, so a failing seed replays.
     */
    RANDOM
}
