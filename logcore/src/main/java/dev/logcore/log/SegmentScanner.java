package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.IoFuture;
import dev.logcore.log.format.BatchFormat;
import dev.logcore.log.format.BatchValidator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Reads a segment's {@code .log} from the start and checks every batch (length, magic, CRC,
 * record structure, dense offsets), stopping at the first one that is not intact. The read of the
 * next chunk runs while the current one is checked, so the scan goes at the speed of the slower of
 * the disk and CRC32C. Used by recovery, by index rebuilds and by the verify tool; it never writes.
 */
final class SegmentScanner implements AutoCloseable {
    static final int CHUNK = 4 << 20;

    /** Called for every intact batch, with the validator holding its fields. */
    interface Visitor {
        void batch(long position, BatchValidator batch);
    }

    /**
     * Where the scan stopped on damage.
     *
     * @param position the first byte of the bad batch
     * @param expectedOffset the offset the bad batch should have started at
     * @param reason what was wrong
     */
    record Damage(long position, long expectedOffset, String reason) {
    }

    /**
     * @param endPosition the end of the last intact batch
     * @param nextOffset the offset after the last intact batch
     * @param batches intact batches
     * @param records records in them
     * @param damage where it stopped on damage, or null if every byte up to the limit was intact batches
     */
    record Result(long endPosition, long nextOffset, int batches, long records, Damage damage) {
    }

    private final DiskIo io;
    private final IoBuffer[] chunks = new IoBuffer[2];
    private IoBuffer scratch;
    private final BatchValidator validator = new BatchValidator();

    SegmentScanner(DiskIo io) {
        this.io = io;
    }

    private IoBuffer chunk(int i) {
        if (chunks[i] == null) {
            chunks[i] = io.allocate(CHUNK);
        }
        return chunks[i];
    }

    /**
     * Scans {@code [0, limit)} of {@code file}, expecting its first batch at {@code baseOffset}.
     */
    Result scan(DiskFile file, long limit, long baseOffset, Visitor visitor) throws IOException {
        long pos = 0;
        long next = baseOffset;
        int batches = 0;
        long records = 0;
        if (limit == 0) {
            return new Result(0, next, 0, 0, null);
        }
        int cur = 0;
        long chunkStart = 0;
        IoFuture<Integer> pending = readChunk(file, cur, chunkStart, limit);
        while (true) {
            int n = Io.await(pending);
            long chunkEnd = chunkStart + n;
            pending = null;
            if (chunkEnd < limit && n > 0) {
                pending = readChunk(file, 1 - cur, chunkEnd, limit);
            }
            MemorySegment seg = chunks[cur].segment();
            while (pos < chunkEnd) {
                long rel = pos - chunkStart;
                int r = validator.check(seg, rel, chunkEnd - pos, next);
                if (r == BatchValidator.INCOMPLETE && chunkEnd < limit) {
                    r = checkStraddler(file, pos, limit, next);
                }
                if (r == BatchValidator.OK) {
                    visitor.batch(pos, validator);
                    pos += validator.length();
                    next = validator.nextOffset();
                    batches++;
                    records += validator.recordCount();
                    continue;
                }
                drain(pending);
                String why = r == BatchValidator.INCOMPLETE ? "short batch at the end of the file: " + validator.problem()
                        : validator.problem();
                return new Result(pos, next, batches, records, new Damage(pos, next, why));
            }
            if (pos >= limit) {
                drain(pending);
                return new Result(pos, next, batches, records, null);
            }
            if (pending == null || n == 0) {
                // The file is shorter than the limit: what is missing is damage like a short batch.
                drain(pending);
                return new Result(pos, next, batches, records,
                        new Damage(pos, next, "the file ends at " + chunkEnd + ", before its expected end " + limit));
            }
            cur = 1 - cur;
            chunkStart = chunkEnd;
            if (pos > chunkStart) {
                // A batch longer than the chunk was read on its own; the prefetched chunk starts
                // inside it: read afresh from where the next batch starts.
                int skipped = Io.await(pending);
                if (pos >= chunkStart + skipped) {
                    chunkStart = pos;
                    pending = readChunk(file, cur, chunkStart, limit);
                    continue;
                }
                pending = IoFuture.completed(skipped);
            }
        }
    }

    private static void drain(IoFuture<Integer> pending) {
        if (pending != null) {
            try {
                pending.join();
            } catch (RuntimeException e) {
                // The scan's result stands; the prefetch was not needed.
            }
        }
    }

    private IoFuture<Integer> readChunk(DiskFile file, int which, long at, long limit) {
        IoBuffer b = chunk(which);
        b.limit((int) Math.min(CHUNK, limit - at));
        return file.read(b, at);
    }

    /** Reads a batch that runs past the chunk into a buffer of its own and checks it there. */
    private int checkStraddler(DiskFile file, long pos, long limit, long next) throws IOException {
        long left = limit - pos;
        if (left < BatchFormat.HEADER_SIZE) {
            return BatchValidator.INCOMPLETE;
        }
        IoBuffer s = scratch(BatchFormat.HEADER_SIZE);
        Io.readFully(file, s, pos, 4);
        int len = s.getInt(0);
        if (len < BatchFormat.HEADER_SIZE || len > BatchFormat.MAX_BATCH_SIZE) {
            return validator.check(s.segment(), 0, 4, next);
        }
        int want = (int) Math.min(len, left);
        s = scratch(want);
        Io.readFully(file, s, pos, want);
        return validator.check(s.segment(), 0, want, next);
    }

    private IoBuffer scratch(int size) {
        if (scratch == null || scratch.capacity() < size) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = io.allocate(Math.max(size, 64 << 10));
        }
        return scratch;
    }

    /** The validator, holding the fields of the last intact batch. */
    BatchValidator validator() {
        return validator;
    }

    @Override
    public void close() {
        for (IoBuffer b : chunks) {
            if (b != null) {
                b.close();
            }
        }
        if (scratch != null) {
            scratch.close();
        }
    }
}
