package dev.logcore.io.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The page cache of one file as a crash would see it, sector by sector.
 *
 * <p>Each sector that has writes not yet covered by a successful sync is tracked with its
 * <em>base</em> (the content known durable) and the pieces written since, in the order their writes
 * completed. On a crash a sector holds its base plus some prefix of those pieces (the page was
 * written back at some moment, holding every write completed by then): which prefix is up to the
 * crash mode. A sync folds the pieces that completed before it started into the base.
 *
 * <p>A failed sync poisons the sectors it covered (Linux marks such pages clean after a writeback
 * error): a later sync does not make them durable unless the sector is written again.
 *
 * <p>Simplifications, stated: truncation and O_TRUNC take effect durably at once (metadata journaled
 * with the next commit on ext4 is close to that); rename and delete are outside the SPI and not
 * modelled; a new file's name is lost in a crash unless its directory was synced after it was made.
 */
final class FileModel {
    static final class Sector {
        byte[] base;
        final List<byte[]> pieces = new ArrayList<>(); // each: full sector image after that write
        final List<Long> writeIds = new ArrayList<>();
        int inFlight;
        boolean poisoned;
        int poisonedCount;
    }

    final Path path;
    final int sectorSize;
    long durableSize;
    long currentSize;
    boolean nameDurable = true;
    final TreeMap<Long, Sector> sectors = new TreeMap<>();
    long lastWriteId = -1;

    FileModel(Path path, int sectorSize, long size) {
        this.path = path;
        this.sectorSize = sectorSize;
        this.durableSize = size;
        this.currentSize = size;
    }

    /** Reads a sector's current content from the real file (zeros past its end). */
    private byte[] readReal(long sector) throws IOException {
        byte[] b = new byte[sectorSize];
        if (!Files.exists(path)) {
            return b;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            long at = sector * sectorSize;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, at + bb.position());
                if (n <= 0) {
                    break;
                }
            }
        }
        return b;
    }

    /** A write was submitted: tracks its sectors (capturing their durable base). */
    void writeStarted(long offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        for (long s = offset / sectorSize; s <= (offset + length - 1) / sectorSize; s++) {
            Sector sec = sectors.get(s);
            if (sec == null) {
                sec = new Sector();
                // Untracked: no unsynced write touches it, so the file holds the durable content.
                sec.base = readReal(s);
                sectors.put(s, sec);
            }
            sec.inFlight++;
        }
    }

    /** A write completed: its data becomes the newest piece of each sector it touched. */
    void writeCompleted(long writeId, long offset, byte[] data, boolean ok) {
        int length = data.length;
        if (length == 0) {
            return;
        }
        for (long s = offset / sectorSize; s <= (offset + length - 1) / sectorSize; s++) {
            Sector sec = sectors.get(s);
            sec.inFlight--;
            if (!ok) {
                continue;
            }
            byte[] prev = sec.pieces.isEmpty() ? sec.base.clone() : sec.pieces.get(sec.pieces.size() - 1).clone();
            long secStart = s * sectorSize;
            long from = Math.max(offset, secStart);
            long to = Math.min(offset + length, secStart + sectorSize);
            System.arraycopy(data, (int) (from - offset), prev, (int) (from - secStart), (int) (to - from));
            sec.pieces.add(prev);
            sec.writeIds.add(writeId);
        }
        if (ok) {
            currentSize = Math.max(currentSize, offset + length);
            lastWriteId = writeId;
        }
    }

    /** What a sync covers: the pieces completed when it starts, and the size then. */
    record SyncMark(Map<Long, Integer> counts, long size) {
    }

    SyncMark syncStarted() {
        Map<Long, Integer> m = new TreeMap<>();
        sectors.forEach((s, sec) -> m.put(s, sec.pieces.size()));
        return new SyncMark(m, currentSize);
    }

    /** A sync succeeded: what it covered is durable. */
    void syncSucceeded(SyncMark mark) {
        mark.counts.forEach((s, n) -> {
            Sector sec = sectors.get(s);
            if (sec == null || n == 0) {
                return;
            }
            if (sec.poisoned && n <= sec.poisonedCount) {
                return; // no new write since the failed sync: the kernel will not write it again
            }
            sec.base = sec.pieces.get(n - 1);
            sec.pieces.subList(0, n).clear();
            sec.writeIds.subList(0, n).clear();
            sec.poisoned = false;
            sec.poisonedCount = 0;
        });
        durableSize = Math.max(durableSize, mark.size);
        sectors.values().removeIf(sec -> sec.pieces.isEmpty() && sec.inFlight == 0);
    }

    /** A sync failed: the pages it covered were marked clean without reaching the disk, maybe. */
    void syncFailed(SyncMark mark) {
        mark.counts.forEach((s, n) -> {
            Sector sec = sectors.get(s);
            if (sec != null && n > 0) {
                sec.poisoned = true;
                sec.poisonedCount = sec.pieces.size();
            }
        });
    }

    void truncated(long size) {
        durableSize = Math.min(durableSize, size);
        currentSize = size;
        long firstGone = (size + sectorSize - 1) / sectorSize;
        sectors.tailMap(firstGone, true).entrySet().removeIf(e -> e.getValue().inFlight == 0);
        Sector edge = size % sectorSize == 0 ? null : sectors.get(size / sectorSize);
        if (edge != null) {
            int keep = (int) (size % sectorSize);
            java.util.Arrays.fill(edge.base, keep, sectorSize, (byte) 0);
            for (byte[] p : edge.pieces) {
                java.util.Arrays.fill(p, keep, sectorSize, (byte) 0);
            }
        }
    }

    /** Unsynced bytes (sectors with pieces). */
    int dirtySectors() {
        int n = 0;
        for (Sector s : sectors.values()) {
            if (!s.pieces.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Puts the real file into a state the crash could leave: per sector the base plus a prefix of
     * its pieces, the size between the durable one and the current one.
     *
     * @return a one-line account of what was kept
     */
    String applyCrash(CrashMode mode, Random rnd) throws IOException {
        if (!nameDurable && mode != CrashMode.KEEP_ALL && (mode == CrashMode.LOSE_ALL_UNSYNCED || rnd.nextBoolean())) {
            Files.deleteIfExists(path);
            return path + ": created after its directory's last sync; the name was lost";
        }
        if (!Files.exists(path)) {
            return path + ": gone (deleted outside the SPI)";
        }
        long size = switch (mode) {
            case LOSE_ALL_UNSYNCED -> durableSize;
            case KEEP_ALL -> currentSize;
            case RANDOM -> durableSize >= currentSize ? currentSize
                    : durableSize + (long) (rnd.nextDouble() * (currentSize - durableSize + 1));
        };
        size = Math.min(Math.max(size, durableSize), currentSize);
        // The last write is torn at a sector boundary: its first `cut` sectors made it.
        List<Long> lastSectors = new ArrayList<>();
        sectors.forEach((s, sec) -> {
            if (!sec.writeIds.isEmpty() && sec.writeIds.get(sec.writeIds.size() - 1) == lastWriteId) {
                lastSectors.add(s);
            }
        });
        int cutIndex = lastSectors.isEmpty() ? 0 : rnd.nextInt(lastSectors.size() + 1);
        int keptPieces = 0;
        int droppedPieces = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (Map.Entry<Long, Sector> e : sectors.entrySet()) {
                long s = e.getKey();
                Sector sec = e.getValue();
                int n = sec.pieces.size();
                int k = switch (mode) {
                    case LOSE_ALL_UNSYNCED -> 0;
                    case KEEP_ALL -> n;
                    case RANDOM -> {
                        int li = lastSectors.indexOf(s);
                        if (li >= 0) {
                            // Sectors of the last write before the cut hold it, the rest do not.
                            yield li < cutIndex ? n : rnd.nextInt(n);
                        }
                        int r = rnd.nextInt(3);
                        yield r == 0 ? 0 : r == 1 ? n : rnd.nextInt(n + 1);
                    }
                };
                k = Math.max(0, Math.min(k, n));
                keptPieces += k;
                droppedPieces += n - k;
                byte[] img = k == 0 ? sec.base : sec.pieces.get(k - 1);
                long at = s * sectorSize;
                if (at >= size) {
                    continue;
                }
                int len = (int) Math.min(sectorSize, size - at);
                ByteBuffer bb = ByteBuffer.wrap(img, 0, len);
                while (bb.hasRemaining()) {
                    ch.write(bb, at + bb.position());
                }
            }
            ch.truncate(size);
            ch.force(true);
        }
        return path + ": size " + size + " (durable " + durableSize + ", written " + currentSize + "), " + keptPieces
                + " unsynced sector writes kept, " + droppedPieces + " dropped";
    }
}
