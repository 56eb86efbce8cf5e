package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import dev.logcore.log.format.IndexFormat;
import dev.logcore.log.format.SegmentFooter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Opens a partition directory and recovers it (docs/LOG.md, "Recovery"):
 *
 * <ol>
 *   <li>leftovers are removed: temporary files, indexes without a log;
 *   <li>every segment but the newest must be sealed: an intact footer that matches its name, size
 *       and the next segment's base offset; its index is checked and rebuilt from the log if it is
 *       missing or damaged;
 *   <li>the newest segment is scanned batch by batch and its index rebuilt (the index of the active
 *       segment is never trusted). At the first batch that is not intact the damage is judged: if
 *       the recovery point or a later intact batch's durableOffset shows that it had been synced, it
 *       is corruption and the partition is fenced with nothing truncated; otherwise it is a torn
 *       unsynced tail, cut off and reported with its byte count;
 *   <li>the recovered tail is synced, so that everything recovery keeps is durable.
 * </ol>
 */
final class PartitionLoader {
    private static final System.Logger LOG = System.getLogger("dev.logcore.log.recovery");

    /**
     * The state recovery hands to the writer.
     *
     * @param segments every segment, oldest first; the last is active (unsealed)
     * @param writePosition where the next batch goes in the active segment
     * @param nextOffset the offset of the next record
     * @param activeBatches batches already in the active segment
     * @param activeChain the CRC chain of the active segment's batches so far
     * @param lastIndexedPosition the position of the last index entry of the active segment (or 0)
     */
    record Loaded(List<Segment> segments, long writePosition, long nextOffset, int activeBatches, CRC32C activeChain,
                  long lastIndexedPosition) {
    }

    private final String name;
    private final Path dir;
    private final DiskIo io;
    private final LogSettings settings;
    private final List<String> report;
    private final List<DiskFile> opened = new ArrayList<>();

    PartitionLoader(String name, Path dir, DiskIo io, LogSettings settings, List<String> report) {
        this.name = name;
        this.dir = dir;
        this.io = io;
        this.settings = settings;
        this.report = report;
    }

    private void say(Level level, String msg) {
        report.add(msg);
        LOG.log(level, name + ": " + msg);
    }

    /**
     * Recovers the partition.
     *
     * @throws CorruptLogException when synced data is damaged (the partition must be fenced)
     * @throws IOException when the disk fails
     */
    Loaded load() throws IOException {
        boolean ok = false;
        try {
            Loaded l = doLoad();
            ok = true;
            return l;
        } finally {
            if (!ok) {
                for (DiskFile f : opened) {
                    try {
                        Io.await(f.close());
                    } catch (IOException e) {
                        // closing after a failed recovery; the failure already says what matters
                    }
                }
            }
        }
    }

    private Loaded doLoad() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Io.syncDirectory(io, dir.getParent());
        }
        TreeMap<Long, Path> logs = new TreeMap<>();
        List<Path> indexes = new ArrayList<>();
        boolean removed = false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.endsWith(".tmp")) {
                    Files.delete(p);
                    removed = true;
                    say(Level.INFO, "removed the leftover temporary file " + f);
                } else if (SegmentNames.parse(f, SegmentNames.LOG) >= 0) {
                    logs.put(SegmentNames.parse(f, SegmentNames.LOG), p);
                } else if (SegmentNames.parse(f, SegmentNames.INDEX) >= 0) {
                    indexes.add(p);
                }
            }
        }
        for (Path ix : indexes) {
            long base = SegmentNames.parse(ix.getFileName().toString(), SegmentNames.INDEX);
            if (!logs.containsKey(base)) {
                Files.delete(ix);
                removed = true;
                say(Level.INFO, "removed the index " + ix.getFileName() + " whose log is gone (retention was interrupted)");
            }
        }
        RecoveryPoint rp = null;
        try {
            rp = RecoveryPoint.read(io, dir);
        } catch (IllegalArgumentException e) {
            say(Level.WARNING, "ignored a damaged recovery point: " + e.getMessage());
        }
        if (logs.isEmpty()) {
            long base = rp != null ? rp.nextOffset() : 0;
            if (rp != null) {
                throw new CorruptLogException(name + ": the recovery point says offsets below " + rp.nextOffset()
                        + " were synced, but the directory " + dir + " holds no segment");
            }
            Segment s = createSegment(base);
            if (removed) {
                Io.syncDirectory(io, dir);
            }
            say(Level.DEBUG, "new partition: created " + s.logPath.getFileName());
            return new Loaded(List.of(s), 0, base, 0, new CRC32C(), 0);
        }
        if (removed) {
            Io.syncDirectory(io, dir);
        }
        List<Segment> segments = new ArrayList<>();
        List<Long> bases = new ArrayList<>(logs.keySet());
        try (SegmentScanner scanner = new SegmentScanner(io)) {
            long expectedBase = -1;
            for (int i = 0; i < bases.size(); i++) {
                long base = bases.get(i);
                boolean last = i == bases.size() - 1;
                if (expectedBase >= 0 && base != expectedBase) {
                    throw new CorruptLogException(name + ": segment " + SegmentNames.base(base) + ".log follows a segment that ends at offset "
                            + (expectedBase - 1) + ": offsets " + expectedBase + ".." + (base - 1) + " are missing");
                }
                DiskFile f = Io.await(io.open(logs.get(base), last ? new OpenFlag[] {OpenFlag.READ, OpenFlag.WRITE}
                        : new OpenFlag[] {OpenFlag.READ}));
                opened.add(f);
                long size = Io.await(f.size());
                String[] footerProblem = new String[1];
                SegmentFooter footer = readFooter(io, f, size, base, footerProblem);
                if (footer == null && !last) {
                    throw new CorruptLogException(name + ": sealed segment " + logs.get(base).getFileName()
                            + " has no intact footer (" + footerProblem[0] + "); a segment that is followed by another was sealed and synced");
                }
                if (footer != null && !last) {
                    segments.add(openSealed(scanner, f, base, footer));
                    expectedBase = footer.nextOffset();
                    continue;
                }
                // The newest segment is scanned even if it ends with a footer: its seal is complete
                // only once the next segment exists, so the footer may not have been synced.
                return recoverActive(scanner, segments, f, base, size, rp, footer);
            }
            throw new IllegalStateException("unreachable: the newest segment is handled in the loop");
        }
    }

    /**
     * The intact footer ending a segment file of {@code size} bytes whose name says {@code base}, or
     * {@code null} with the reason in {@code problem[0]}.
     */
    static SegmentFooter readFooter(DiskIo io, DiskFile f, long size, long base, String[] problem) throws IOException {
        if (size < SegmentFooter.SIZE) {
            problem[0] = "the file has only " + size + " bytes";
            return null;
        }
        try (IoBuffer b = io.allocate(SegmentFooter.SIZE)) {
            Io.readFully(f, b, size - SegmentFooter.SIZE, SegmentFooter.SIZE);
            SegmentFooter footer;
            try {
                footer = SegmentFooter.decode(b.segment(), 0);
            } catch (IllegalArgumentException e) {
                problem[0] = e.getMessage();
                return null;
            }
            if (footer.baseOffset() != base || footer.logBytes() != size - SegmentFooter.SIZE) {
                problem[0] = "footer for base " + footer.baseOffset() + " with " + footer.logBytes()
                        + " bytes of batches does not match the file (" + size + " bytes)";
                return null;
            }
            return footer;
        }
    }

    private Segment openSealed(SegmentScanner scanner, DiskFile f, long base, SegmentFooter footer) throws IOException {
        Path logPath = SegmentNames.log(dir, base);
        Path indexPath = SegmentNames.index(dir, base);
        OffsetIndex index = null;
        if (Files.exists(indexPath)) {
            try {
                byte[] bytes = Io.readFile(io, indexPath, Integer.MAX_VALUE - 8);
                try (IoBuffer b = io.allocate(Math.max(1, bytes.length))) {
                    b.put(0, bytes);
                    IndexFormat.Entries e = IndexFormat.decode(b.segment(), bytes.length, footer.logBytes());
                    index = new OffsetIndex(e.relativeOffsets(), e.positions());
                }
            } catch (IllegalArgumentException e) {
                say(Level.WARNING, "index " + indexPath.getFileName() + " is damaged (" + e.getMessage() + "); rebuilding it from the log");
            }
        } else {
            say(Level.WARNING, "index " + indexPath.getFileName() + " is missing; rebuilding it from the log");
        }
        if (index == null || settings.verifySealedOnOpen()) {
            OffsetIndex rebuilt = verifySealed(scanner, f, base, footer, settings.indexIntervalBytes(), name, logPath);
            if (index == null) {
                index = rebuilt;
                writeIndex(io, indexPath, rebuilt);
                Io.syncDirectory(io, dir);
                say(Level.INFO, "rebuilt " + indexPath.getFileName() + " with " + rebuilt.size() + " entries");
            }
        }
        return new Segment(base, logPath, indexPath, f, index, footer.logBytes(), footer, footer.maxTimestamp());
    }

    /**
     * Scans a sealed segment's batches against its footer; returns a fresh index.
     *
     * @throws CorruptLogException if any batch is damaged or the footer does not match them
     */
    static OffsetIndex verifySealed(SegmentScanner scanner, DiskFile f, long base, SegmentFooter footer, int interval,
                                    String name, Path logPath) throws IOException {
        OffsetIndex index = new OffsetIndex();
        CRC32C chain = new CRC32C();
        long[] lastIndexed = {0};
        int[] crc = {0};
        SegmentScanner.Result r = scanner.scan(f, footer.logBytes(), base, (pos, v) -> {
            if (pos > 0 && pos - lastIndexed[0] >= interval) {
                index.append((int) (v.baseOffset() - base), (int) pos);
                lastIndexed[0] = pos;
            }
            crc[0] = SegmentFooter.chain(chain, v.crc());
        });
        if (r.damage() != null) {
            throw new CorruptLogException(name + ": sealed segment " + logPath.getFileName() + " is damaged at position "
                    + r.damage().position() + " (offset " + r.damage().expectedOffset() + "): " + r.damage().reason());
        }
        if (r.batches() != footer.batchCount() || r.nextOffset() != footer.nextOffset() || crc[0] != footer.batchCrcChain()) {
            throw new CorruptLogException(name + ": sealed segment " + logPath.getFileName() + " does not match its footer: "
                    + r.batches() + " batches up to offset " + (r.nextOffset() - 1) + ", footer says " + footer.batchCount()
                    + " up to " + footer.lastOffset() + (crc[0] != footer.batchCrcChain() ? ", batch CRC chain differs" : ""));
        }
        return index;
    }

    /** Writes an index file through the engine (replacing it) and syncs it. */
    static void writeIndex(DiskIo io, Path indexPath, OffsetIndex index) throws IOException {
        int[][] a = index.toArrays();
        int n = a[0].length;
        try (IoBuffer b = io.allocate(IndexFormat.fileSize(n))) {
            IndexFormat.encode(b.segment(), a[0], a[1], n);
            byte[] bytes = b.toArray(0, IndexFormat.fileSize(n));
            Io.writeFileSynced(io, indexPath, bytes);
        }
    }

    private Segment createSegment(long base) throws IOException {
        Path logPath = SegmentNames.log(dir, base);
        DiskFile f = Io.await(io.open(logPath, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE_NEW));
        opened.add(f);
        Io.syncDirectory(io, dir);
        return new Segment(base, logPath, SegmentNames.index(dir, base), f, new OffsetIndex(), 0, null, Long.MIN_VALUE);
    }

    private Loaded recoverActive(SegmentScanner scanner, List<Segment> segments, DiskFile f, long base, long size,
                                 RecoveryPoint rp, SegmentFooter footer) throws IOException {
        Path logPath = SegmentNames.log(dir, base);
        OffsetIndex index = new OffsetIndex();
        CRC32C chain = new CRC32C();
        long[] st = {0, Long.MIN_VALUE}; // lastIndexed, maxTimestamp
        int interval = settings.indexIntervalBytes();
        SegmentScanner.Result r = scanner.scan(f, size, base, (pos, v) -> {
            if (pos > 0 && pos - st[0] >= interval) {
                index.append((int) (v.baseOffset() - base), (int) pos);
                st[0] = pos;
            }
            SegmentFooter.chain(chain, v.crc());
            st[1] = Math.max(st[1], v.maxTimestamp());
        });
        long end = r.endPosition();
        if (footer != null && r.damage() != null && r.damage().position() == footer.logBytes()) {
            if (r.batches() != footer.batchCount() || r.nextOffset() != footer.nextOffset()
                    || (int) chain.getValue() != footer.batchCrcChain()) {
                throw new CorruptLogException(name + ": " + logPath.getFileName() + " ends with an intact footer that does not match"
                        + " its intact batches (" + r.batches() + " batches up to offset " + (r.nextOffset() - 1) + ", the footer says "
                        + footer.batchCount() + " up to " + footer.lastOffset() + "); nothing was truncated");
            }
            // Sealed, then the crash came before the next segment was created: finish the seal.
            Path indexPath = SegmentNames.index(dir, base);
            writeIndex(io, indexPath, index);
            Segment sealed = new Segment(base, logPath, indexPath, f, index, footer.logBytes(), footer, footer.maxTimestamp());
            segments.add(sealed);
            Segment s = createSegment(footer.nextOffset());
            segments.add(s);
            say(Level.INFO, "the newest segment " + logPath.getFileName() + " was sealed; wrote its index and created "
                    + s.logPath.getFileName() + " to take appends");
            return new Loaded(List.copyOf(segments), 0, footer.nextOffset(), 0, new CRC32C(), 0);
        }
        if (r.damage() != null) {
            judgeDamage(f, logPath, base, size, r.damage(), rp);
        }
        if (rp != null && rp.nextOffset() > r.nextOffset() && rp.nextOffset() > base) {
            throw new CorruptLogException(name + ": the recovery point says offsets below " + rp.nextOffset()
                    + " were synced, but the log ends at offset " + (r.nextOffset() - 1) + " (" + logPath.getFileName()
                    + " has " + size + " bytes); the partition is fenced and nothing was truncated");
        }
        if (r.damage() != null) {
            long cut = size - r.damage().position();
            Io.await(f.truncate(r.damage().position()));
            say(Level.WARNING, "cut a torn tail of " + cut + " bytes from " + logPath.getFileName() + " at position "
                    + r.damage().position() + " (offsets from " + r.damage().expectedOffset()
                    + " on were never synced, so never acknowledged as durable): " + r.damage().reason());
        }
        // What survived may have been written but never synced (the process died, the machine did
        // not): sync it, so that everything recovery keeps is durable from now on.
        Io.await(f.sync(FsyncKind.DATA));
        if (r.batches() > 0 || r.damage() != null) {
            say(r.damage() != null ? Level.INFO : Level.DEBUG, "recovered " + logPath.getFileName() + ": " + r.batches() + " batches, " + r.records()
                    + " records, offsets " + base + ".." + (r.nextOffset() - 1) + ", " + end + " bytes; index rebuilt with "
                    + index.size() + " entries");
        }
        Segment active = new Segment(base, logPath, SegmentNames.index(dir, base), f, index, end, null, st[1]);
        segments.add(active);
        return new Loaded(List.copyOf(segments), end, r.nextOffset(), r.batches(), chain, st[0]);
    }

    /**
     * Throws if the damage is in data known to have been synced; returns if it is a torn tail.
     */
    private void judgeDamage(DiskFile f, Path logPath, long base, long size, SegmentScanner.Damage d, RecoveryPoint rp)
            throws IOException {
        String corrupt = corruptionEvidence(io, f, logPath, base, size, d, rp);
        if (corrupt != null) {
            throw new CorruptLogException(name + ": " + corrupt + ". The partition is fenced and nothing was truncated");
        }
    }

    /**
     * Why damage found in the newest segment is corruption of synced data, or {@code null} if
     * nothing shows it was ever synced (a torn tail). See {@link DurabilityEvidence}.
     */
    static String corruptionEvidence(DiskIo io, DiskFile f, Path logPath, long base, long size, SegmentScanner.Damage d,
                                     RecoveryPoint rp) throws IOException {
        String where = logPath.getFileName() + " at position " + d.position() + " (offset " + d.expectedOffset() + ")";
        if (rp != null && (rp.segmentBase() > base || (rp.segmentBase() == base && rp.position() > d.position()))) {
            return "damage in synced data, " + where + ": " + d.reason() + "; the recovery point says "
                    + (rp.segmentBase() > base ? "a later segment" : rp.position() + " bytes of it") + " had been synced";
        }
        DurabilityEvidence.Witness w = DurabilityEvidence.find(io, f, d.position(), size, d.expectedOffset());
        if (w != null) {
            return "damage in synced data, " + where + ": " + d.reason() + "; the intact batch at position " + w.position()
                    + " (offsets from " + w.baseOffset() + ") was written after offsets below " + w.durableOffset()
                    + " had been synced";
        }
        return null;
    }
}
