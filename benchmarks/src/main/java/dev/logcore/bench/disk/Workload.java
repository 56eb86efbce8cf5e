package dev.logcore.bench.disk;

/**
 * One disk workload of the report, the same for every engine.
 *
 * @param name the row group's title
 * @param kind what each operation does
 * @param blockSize bytes per operation
 * @param depth operations kept in flight
 * @param direct O_DIRECT (cold) or the page cache (warm)
 * @param fileName the file in the bench directory
 */
record Workload(String name, Kind kind, int blockSize, int depth, boolean direct, String fileName) {

    enum Kind {
        /** Random reads over the whole file. */
        RANDOM_READ,
        /** Appends to a fresh file, each followed by fdatasync (write-then-sync). */
        APPEND_SYNC,
        /** Sequential overwrites of the file, wrapping at its end. */
        SEQUENTIAL_WRITE
    }

    static final String READ_FILE = "data-1g.dat";
    static final String WRITE_FILE = "write-1g.dat";
    static final String APPEND_FILE = "append.dat";

    static java.util.List<Workload> all() {
        return java.util.List.of(
                new Workload("4k randread O_DIRECT QD32", Kind.RANDOM_READ, 4096, 32, true, READ_FILE),
                new Workload("4k randread O_DIRECT QD1", Kind.RANDOM_READ, 4096, 1, true, READ_FILE),
                new Workload("4k randread O_DIRECT QD128", Kind.RANDOM_READ, 4096, 128, true, READ_FILE),
                new Workload("4k randread page cache (warm) QD32", Kind.RANDOM_READ, 4096, 32, false, READ_FILE),
                new Workload("4k append + fdatasync QD1", Kind.APPEND_SYNC, 4096, 1, false, APPEND_FILE),
                new Workload("1M seq write O_DIRECT QD8", Kind.SEQUENTIAL_WRITE, 1 << 20, 8, true, WRITE_FILE));
    }

    /** A short key for --only. */
    String key() {
        return switch (kind) {
            case RANDOM_READ -> (direct ? "randread" : "warmread") + depth;
            case APPEND_SYNC -> "fdatasync";
            case SEQUENTIAL_WRITE -> "seqwrite";
        };
    }
}
