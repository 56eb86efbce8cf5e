package dev.logcore.log;

import dev.logcore.io.IoBuffer;

/**
 * A batch on its way to the disk: its engine buffer (reused batch after batch; the in-flight rule
 * means it is touched again only after its operation completed), the appends it carries, and the
 * operation's outcome, set on the provider's thread and read by the writer.
 *
 * <p>Records are encoded into a heap staging array and copied into the engine buffer in one bulk
 * copy at submission. Encoding through a view of the engine buffer would need one
 * {@code IoBuffer.segment()} per batch, and each such view is a shared arena whose close (when the
 * buffer goes in flight) is a handshake with every JVM thread: 7 us with few threads, 36 us with 70,
 * measured; the copy of a typical batch costs less.
 */
final class WriteBatch {
    final IoBuffer buffer;
    final byte[] staging;
    final PendingAppend[] appends;
    /** Appends carried (entries of {@link #appends}). */
    int count;
    /** Records carried: the appends' records, a group counting all of its own. */
    int records;
    int length;
    long baseOffset;
    long position;
    Segment segment;
    long maxTimestamp;
    long openedNanos;
    volatile boolean done;
    volatile Throwable error;
    volatile long written;

    WriteBatch(IoBuffer buffer, int maxRecords) {
        this.buffer = buffer;
        this.staging = new byte[buffer.capacity()];
        this.appends = new PendingAppend[maxRecords];
    }

    void reset() {
        count = 0;
        records = 0;
        length = 0;
        done = false;
        error = null;
        written = 0;
        segment = null;
        maxTimestamp = Long.MIN_VALUE;
    }
}
