package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.IoBuffer;
import dev.logcore.log.format.BatchFormat;
import dev.logcore.log.format.BatchValidator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decides whether damage in the unsealed tail is a torn write or corruption of synced data.
 *
 * <p>Every batch carries the offset below which the log was synced when the batch was written
 * (its durableOffset). After damage at offset N, an intact batch further on whose durableOffset is
 * above N proves that N was synced before that batch was written: the damage is in data that was
 * durable, so it is corruption. With no such witness the damaged bytes may never have been synced,
 * and after a crash any subset of unsynced sectors may have reached the disk: a torn tail.
 *
 * <p>This class searches the bytes after the damage, at every byte position, for intact batches
 * (a batch's start cannot be found by following lengths through damage). It only runs when damage
 * was found.
 */
final class DurabilityEvidence {
    private DurabilityEvidence() {
    }

    /**
     * A later batch that proves the damage was in synced data.
     *
     * @param position where it starts
     * @param baseOffset its first offset
     * @param durableOffset the durable offset it recorded
     */
    record Witness(long position, long baseOffset, long durableOffset) {
    }

    /**
     * Looks in {@code (from, limit)} of {@code file} for an intact batch whose durableOffset is above
     * {@code damagedOffset}; {@code null} if there is none.
     */
    static Witness find(DiskIo io, DiskFile file, long from, long limit, long damagedOffset) throws IOException {
        final int chunk = 4 << 20;
        BatchValidator v = new BatchValidator();
        try (IoBuffer buf = io.allocate(chunk)) {
            IoBuffer big = null;
            try {
                long start = from + 1;
                while (start + BatchFormat.HEADER_SIZE <= limit) {
                    int want = (int) Math.min(chunk, limit - start);
                    Io.readFully(file, buf, start, want);
                    MemorySegment seg = buf.segment();
                    int lastCandidate = want - BatchFormat.HEADER_SIZE;
                    for (int i = 0; i <= lastCandidate; i++) {
                        // Cheap filter first: magic and version at their places.
                        if (seg.get(ValueLayout.JAVA_BYTE, i + BatchFormat.MAGIC_OFFSET) != 0x4C
                                || seg.get(ValueLayout.JAVA_BYTE, i + BatchFormat.MAGIC_OFFSET + 1) != 0x43
                                || seg.get(ValueLayout.JAVA_BYTE, i + BatchFormat.VERSION_OFFSET) != BatchFormat.VERSION) {
                            continue;
                        }
                        long at = start + i;
                        int r = v.check(seg, i, want - i, -1);
                        if (r == BatchValidator.INCOMPLETE) {
                            int len = seg.get(BatchFormatAccess.INT, i);
                            if (len > 0 && at + len <= limit) {
                                if (big == null || big.capacity() < len) {
                                    if (big != null) {
                                        big.close();
                                    }
                                    big = io.allocate(len);
                                }
                                Io.readFully(file, big, at, len);
                                r = v.check(big.segment(), 0, len, -1);
                                seg = buf.segment();
                            }
                        }
                        if (r == BatchValidator.OK && v.durableOffset() > damagedOffset) {
                            return new Witness(at, v.baseOffset(), v.durableOffset());
                        }
                    }
                    start += lastCandidate + 1;
                }
                return null;
            } finally {
                if (big != null) {
                    big.close();
                }
            }
        }
    }
}
