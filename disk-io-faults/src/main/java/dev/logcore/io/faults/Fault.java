package dev.logcore.io.faults;

import dev.logcore.io.Errno;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One fault to inject: where (an operation kind and a path filter), when (after how many matching
 * operations, how many times) and what (an errno, a short write, a flipped bit).
 *
 * <pre>{@code
 * faulty.inject(Fault.onSync(p -> p.toString().endsWith(".log")).after(10).fail(Errno.EIO));
 * faulty.inject(Fault.onWrite(any()).shortWrite());
 * faulty.inject(Fault.onWrite(any()).flipBit());
 * }</pre>
 */
public final class Fault {
    /** The operations a fault can hit. */
    public enum Point {
        /** write, writev and the write half of writeThenSync. */
        WRITE,
        /** sync and the sync half of writeThenSync. */
        SYNC,
        /** read. */
        READ
    }

    /** What happens. */
    public enum Action {
        /** The operation fails with the errno and has no effect. */
        ERROR,
        /**
         * Writes only: a prefix of the data, cut at a sector boundary, reaches the file; then the
         * operation fails with EIO (what a provider reports when the device stops mid-write).
         */
        SHORT_WRITE,
        /**
         * Writes: the data is written with one bit flipped and the write succeeds (silent
         * corruption on the way to the disk). Reads: one bit of what was read is flipped.
         */
        BIT_FLIP
    }

    final Point point;
    final Predicate<Path> paths;
    long skip;
    int times = 1;
    Action action = Action.ERROR;
    Errno errno = Errno.EIO;
    // Bookkeeping, guarded by the engine's lock.
    long seen;
    int fired;

    private Fault(Point point, Predicate<Path> paths) {
        this.point = Objects.requireNonNull(point);
        this.paths = Objects.requireNonNull(paths);
    }

    public static Fault onWrite(Predicate<Path> paths) {
        return new Fault(Point.WRITE, paths);
    }

    public static Fault onSync(Predicate<Path> paths) {
        return new Fault(Point.SYNC, paths);
    }

    public static Fault onRead(Predicate<Path> paths) {
        return new Fault(Point.READ, paths);
    }

    /** Every path. */
    public static Predicate<Path> any() {
        return p -> true;
    }

    /** Paths whose file name ends with {@code suffix}. */
    public static Predicate<Path> named(String suffix) {
        return p -> p.getFileName() != null && p.getFileName().toString().endsWith(suffix);
    }

    /** Lets {@code n} matching operations through first. */
    public Fault after(long n) {
        this.skip = n;
        return this;
    }

    /** Fires {@code n} times (default once); {@link Integer#MAX_VALUE} for always. */
    public Fault times(int n) {
        this.times = n;
        return this;
    }

    /** Fails with {@code e} (EIO and ENOSPC are the usual ones). */
    public Fault fail(Errno e) {
        this.action = Action.ERROR;
        this.errno = Objects.requireNonNull(e);
        return this;
    }

    /** A short write (writes only). */
    public Fault shortWrite() {
        if (point != Point.WRITE) {
            throw new IllegalArgumentException("a short write is a write fault");
        }
        this.action = Action.SHORT_WRITE;
        return this;
    }

    /** A flipped bit. */
    public Fault flipBit() {
        if (point == Point.SYNC) {
            throw new IllegalArgumentException("a sync has no data to flip");
        }
        this.action = Action.BIT_FLIP;
        return this;
    }

    /** How many times this fault fired so far. */
    public int fired() {
        return fired;
    }

    /** Whether this fault fires for an operation now (counts the operation). */
    boolean fires(Point p, Path path) {
        if (p != point || fired >= times || !paths.test(path)) {
            return false;
        }
        if (seen++ < skip) {
            return false;
        }
        fired++;
        return true;
    }

    @Override
    public String toString() {
        return "Fault[" + point + " " + action + (action == Action.ERROR ? " " + errno : "") + ", after " + skip + ", fired "
                + fired + "/" + times + "]";
    }
}
