package dev.logcore.log;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import dev.logcore.log.format.IndexFormat;
import dev.logcore.log.format.SegmentFooter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Checks a whole log directory without changing a byte: every batch of every segment (CRC,
 * structure, dense offsets), every sealed segment against its footer, every index against its log,
 * the continuity of offsets across segments, and what recovery would do with the newest segment's
 * tail (cut a torn tail, or fence for corruption).
 *
 * <p>Accepts a log directory (topics under it), a topic directory or a partition directory.
 */
public final class LogVerifier {
    /** How a partition (or the whole log) stands. Ordered from good to bad. */
    public enum Status {
        /** Every byte checked is intact. */
        OK,
        /** Opening it repairs it without losing anything acknowledged: a torn unsynced tail to cut, an index to rebuild. */
        RECOVERABLE,
        /** Synced data is damaged: opening fences the partition. */
        CORRUPT
    }

    /**
     * What was found in one partition.
     *
     * @param dir the partition directory
     * @param status its status
     * @param lines what was found, one line per segment and per problem
     * @param startOffset the first offset held
     * @param endOffset one past the last intact offset
     */
    public record PartitionReport(Path dir, Status status, List<String> lines, long startOffset, long endOffset) {
    }

    /**
     * What was found in every partition.
     *
     * @param partitions the partitions checked
     */
    public record Report(List<PartitionReport> partitions) {
        /** The worst status of any partition. */
        public Status status() {
            Status s = Status.OK;
            for (PartitionReport p : partitions) {
                if (p.status.compareTo(s) > 0) {
                    s = p.status;
                }
            }
            return s;
        }
    }

    private final DiskIo io;

    public LogVerifier(DiskIo io) {
        this.io = io;
    }

    /** Checks every partition under {@code path}. */
    public Report verify(Path path) throws IOException {
        List<PartitionReport> out = new ArrayList<>();
        for (Path p : partitionDirs(path)) {
            out.add(verifyPartition(p));
        }
        return new Report(out);
    }

    /** The partition directories under a log, topic or partition directory. */
    static List<Path> partitionDirs(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new IOException(path + " is not a directory");
        }
        if (hasSegments(path)) {
            return List.of(path);
        }
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(path.resolve(LogStore.TOPIC_FILE))) {
            TreeMap<Integer, Path> parts = new TreeMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (Files.isDirectory(p) && n.matches("\\d{1,5}")) {
                        parts.put(Integer.parseInt(n), p);
                    }
                }
            }
            out.addAll(parts.values());
            return out;
        }
        TreeMap<String, Path> topics = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(LogStore.TOPIC_FILE))) {
                    topics.put(p.getFileName().toString(), p);
                }
            }
        }
        for (Path t : topics.values()) {
            out.addAll(partitionDirs(t));
        }
        if (out.isEmpty()) {
            throw new IOException(path + " holds no log: no segments, no topic.properties, no topics");
        }
        return out;
    }

    private static boolean hasSegments(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
            return ds.iterator().hasNext();
        }
    }

    /** Checks one partition directory. */
    public PartitionReport verifyPartition(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        Status status = Status.OK;
        TreeMap<Long, Path> logs = new TreeMap<>();
        Map<Long, Path> indexes = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                long b = SegmentNames.parse(f, SegmentNames.LOG);
                if (b >= 0) {
                    logs.put(b, p);
                }
                b = SegmentNames.parse(f, SegmentNames.INDEX);
                if (b >= 0) {
                    indexes.put(b, p);
                }
            }
        }
        RecoveryPoint rp = null;
        try {
            rp = RecoveryPoint.read(io, dir);
            if (rp != null) {
                lines.add("recovery point: offsets below " + rp.nextOffset() + " synced (" + rp.position() + " bytes of segment "
                        + SegmentNames.base(rp.segmentBase()) + ")");
            }
        } catch (IllegalArgumentException e) {
            lines.add("recovery point damaged (" + e.getMessage() + "): recovery ignores it");
            status = Status.RECOVERABLE;
        }
        for (Long b : indexes.keySet()) {
            if (!logs.containsKey(b)) {
                lines.add("index " + indexes.get(b).getFileName() + " has no log (interrupted retention): recovery removes it");
                status = worst(status, Status.RECOVERABLE);
            }
        }
        if (logs.isEmpty()) {
            lines.add("no segments");
            return new PartitionReport(dir, status, lines, 0, 0);
        }
        long start = logs.firstKey();
        long expected = -1;
        long end = start;
        List<Long> bases = new ArrayList<>(logs.keySet());
        try (SegmentScanner scanner = new SegmentScanner(io)) {
            for (int i = 0; i < bases.size(); i++) {
                long base = bases.get(i);
                boolean last = i == bases.size() - 1;
                Path logPath = logs.get(base);
                if (expected >= 0 && base != expected) {
                    lines.add("CORRUPT: offsets " + expected + ".." + (base - 1) + " are missing before " + logPath.getFileName());
                    status = Status.CORRUPT;
                }
                DiskFile f = Io.await(io.open(logPath, OpenFlag.READ));
                try {
                    long size = Io.await(f.size());
                    String[] problem = new String[1];
                    SegmentFooter footer = PartitionLoader.readFooter(io, f, size, base, problem);
                    if (footer == null && !last) {
                        lines.add("CORRUPT: " + logPath.getFileName() + " is followed by another segment but has no intact footer ("
                                + problem[0] + ")");
                        status = Status.CORRUPT;
                    }
                    long limit = footer != null ? footer.logBytes() : size;
                    Map<Integer, Integer> batchStarts = new HashMap<>();
                    CRC32C chain = new CRC32C();
                    int[] crc = {0};
                    SegmentScanner.Result r = scanner.scan(f, limit, base, (pos, v) -> {
                        batchStarts.put((int) pos, (int) (v.baseOffset() - base));
                        crc[0] = SegmentFooter.chain(chain, v.crc());
                    });
                    String desc = logPath.getFileName() + ": " + (footer != null ? "sealed" : "active") + ", " + r.batches()
                            + " batches, " + r.records() + " records, offsets " + base + ".." + (r.nextOffset() - 1) + ", "
                            + size + " bytes";
                    if (r.damage() != null) {
                        SegmentScanner.Damage d = r.damage();
                        String evidence = footer == null && last
                                ? PartitionLoader.corruptionEvidence(io, f, logPath, base, size, d, rp) : "it is sealed";
                        if (evidence == null) {
                            lines.add(desc);
                            lines.add("TORN TAIL: " + (size - d.position()) + " bytes from position " + d.position()
                                    + " (offset " + d.expectedOffset() + ") were never synced: " + d.reason()
                                    + "; opening the log cuts them");
                            status = worst(status, Status.RECOVERABLE);
                        } else {
                            lines.add(desc);
                            lines.add("CORRUPT: " + logPath.getFileName() + " at position " + d.position() + " (offset "
                                    + d.expectedOffset() + "): " + d.reason() + (footer != null || !last ? "" : "; " + evidence));
                            status = Status.CORRUPT;
                        }
                    } else {
                        lines.add(desc + (footer != null ? ", footer OK" : ""));
                    }
                    if (footer != null && r.damage() == null
                            && (r.batches() != footer.batchCount() || r.nextOffset() != footer.nextOffset() || crc[0] != footer.batchCrcChain())) {
                        lines.add("CORRUPT: " + logPath.getFileName() + " does not match its footer (footer: " + footer.batchCount()
                                + " batches up to offset " + footer.lastOffset() + ")");
                        status = Status.CORRUPT;
                    }
                    if (rp != null && rp.segmentBase() == base && rp.nextOffset() > r.nextOffset()) {
                        lines.add("CORRUPT: the recovery point says offsets below " + rp.nextOffset() + " were synced, the segment ends at "
                                + (r.nextOffset() - 1));
                        status = Status.CORRUPT;
                    }
                    if (footer != null) {
                        status = worst(status, checkIndex(indexes.get(base), SegmentNames.index(dir, base), footer, batchStarts, lines));
                    }
                    expected = r.nextOffset();
                    end = r.nextOffset();
                } finally {
                    Io.await(f.close());
                }
            }
        }
        lines.add("partition " + dir.getFileName() + ": " + status + ", offsets " + start + ".." + (end - 1) + " (" + (end - start)
                + " records)");
        return new PartitionReport(dir, status, lines, start, end);
    }

    private Status checkIndex(Path indexPath, Path expectedPath, SegmentFooter footer, Map<Integer, Integer> batchStarts,
                              List<String> lines) throws IOException {
        if (indexPath == null) {
            lines.add("  index " + expectedPath.getFileName() + " is missing: opening the log rebuilds it");
            return Status.RECOVERABLE;
        }
        byte[] bytes = Io.readFile(io, indexPath, Integer.MAX_VALUE - 8);
        try (IoBuffer b = io.allocate(Math.max(1, bytes.length))) {
            b.put(0, bytes);
            IndexFormat.Entries e = IndexFormat.decode(b.segment(), bytes.length, footer.logBytes());
            for (int i = 0; i < e.size(); i++) {
                Integer rel = batchStarts.get(e.positions()[i]);
                if (rel == null || rel != e.relativeOffsets()[i]) {
                    lines.add("  index " + indexPath.getFileName() + " entry " + i + " (" + e.relativeOffsets()[i] + " -> "
                            + e.positions()[i] + ") does not point at that batch: opening the log rebuilds it");
                    return Status.RECOVERABLE;
                }
            }
            lines.add("  index " + indexPath.getFileName() + ": " + e.size() + " entries OK");
            return Status.OK;
        } catch (IllegalArgumentException e) {
            lines.add("  index " + indexPath.getFileName() + " is damaged (" + e.getMessage() + "): opening the log rebuilds it");
            return Status.RECOVERABLE;
        }
    }

    private static Status worst(Status a, Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
