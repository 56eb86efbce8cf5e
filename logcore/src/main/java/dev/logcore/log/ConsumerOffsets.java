package dev.logcore.log;

import dev.logcore.io.DiskIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The positions consumer groups committed: per group, the offset reached in each partition (the
 * next offset to read, as Kafka commits it). A commit is durable when it returns: the group's file
 * is replaced atomically (a synced temporary file renamed over it, then the directory synced), so
 * after a crash a group has either its old or its new positions, whole.
 *
 * <p>Commits block for two syncs: call them off event loops. docs/FORMAT.md describes the file.
 */
public final class ConsumerOffsets {
    static final String DIR = "__consumer_offsets";
    private static final short MAGIC = 0x4C4F;

    private final DiskIo io;
    private final Path dir;
    private final Map<String, Map<TopicPartition, Long>> cache = new ConcurrentHashMap<>();

    ConsumerOffsets(DiskIo io, Path logDir) throws IOException {
        this.io = io;
        this.dir = logDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Io.syncDirectory(io, logDir);
        }
    }

    /** Commits one position of a group. */
    public void commit(String group, TopicPartition tp, long offset) throws IOException {
        commit(group, Map.of(tp, offset));
    }

    /** Commits positions of a group together (all or none survive a crash). */
    public void commit(String group, Map<TopicPartition, Long> positions) throws IOException {
        Names.check("group", group);
        for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("a committed offset must not be negative: " + e);
            }
        }
        synchronized (lockFor(group)) {
            Map<TopicPartition, Long> next = new LinkedHashMap<>(load(group));
            next.putAll(positions);
            Io.replaceFileAtomically(io, dir.resolve(group + ".offsets"), encode(next));
            cache.put(group, Collections.unmodifiableMap(next));
        }
    }

    /** The position a group committed for a partition, if any. */
    public OptionalLong committed(String group, TopicPartition tp) throws IOException {
        Long v = positions(group).get(tp);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Every position a group committed. */
    public Map<TopicPartition, Long> positions(String group) throws IOException {
        Names.check("group", group);
        synchronized (lockFor(group)) {
            return load(group);
        }
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object lockFor(String group) {
        return locks.computeIfAbsent(group, g -> new Object());
    }

    private Map<TopicPartition, Long> load(String group) throws IOException {
        Map<TopicPartition, Long> m = cache.get(group);
        if (m != null) {
            return m;
        }
        Path f = dir.resolve(group + ".offsets");
        if (!Files.exists(f)) {
            m = Map.of();
        } else {
            m = decode(Io.readFile(io, f, 64 << 20), f);
        }
        cache.put(group, m);
        return m;
    }

    static byte[] encode(Map<TopicPartition, Long> m) {
        int size = 12;
        for (TopicPartition tp : m.keySet()) {
            size += 2 + tp.topic().getBytes(StandardCharsets.UTF_8).length + 4 + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(MAGIC).put((byte) 1).put((byte) 0).putInt(0).putInt(m.size());
        for (Map.Entry<TopicPartition, Long> e : m.entrySet()) {
            byte[] t = e.getKey().topic().getBytes(StandardCharsets.UTF_8);
            b.putShort((short) t.length).put(t).putInt(e.getKey().partition()).putLong(e.getValue());
        }
        CRC32C c = new CRC32C();
        c.update(b.array(), 8, size - 8);
        b.putInt(4, (int) c.getValue());
        return b.array();
    }

    static Map<TopicPartition, Long> decode(byte[] bytes, Path from) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (bytes.length < 12 || b.getShort() != MAGIC || b.get() != 1 || b.get() != 0) {
                throw new CorruptLogException(from + ": not a consumer offsets file (magic or version)");
            }
            int crc = b.getInt();
            CRC32C c = new CRC32C();
            c.update(bytes, 8, bytes.length - 8);
            if (crc != (int) c.getValue()) {
                throw new CorruptLogException(from + ": consumer offsets file fails its CRC32C");
            }
            int n = b.getInt();
            Map<TopicPartition, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] t = new byte[b.getShort() & 0xFFFF];
                b.get(t);
                m.put(new TopicPartition(new String(t, StandardCharsets.UTF_8), b.getInt()), b.getLong());
            }
            if (b.hasRemaining()) {
                throw new CorruptLogException(from + ": " + b.remaining() + " bytes after the last position");
            }
            return Collections.unmodifiableMap(m);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptLogException(from + ": consumer offsets file is malformed: " + e);
        }
    }
}
