package dev.logcore.log;

import dev.logcore.io.DiskIo;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A log directory: topics, each a directory of partition directories, and the consumer positions.
 * One process at a time: opening takes a lock on {@code .lock} in the directory.
 *
 * <pre>
 * &lt;dir&gt;/.lock
 * &lt;dir&gt;/&lt;topic&gt;/topic.properties            partitions=N
 * &lt;dir&gt;/&lt;topic&gt;/&lt;partition&gt;/00000000000000000000.log, .index, recovery-point
 * &lt;dir&gt;/__consumer_offsets/&lt;group&gt;.offsets
 * </pre>
 *
 * <pre>{@code
 * try (DiskIo io = DiskIoProviders.select("auto").provider().open(DiskIoConfig.defaults());
 *      LogStore log = LogStore.open(dir, io, LogSettings.defaults())) {
 *     Topic t = log.createTopic("orders", 8);
 *     long offset = t.partition(0).append(Record.of("k", "v")).join();
 * }
 * }</pre>
 */
public final class LogStore implements AutoCloseable {
    static final String TOPIC_FILE = "topic.properties";

    private final Path dir;
    private final DiskIo io;
    private final LogSettings settings;
    private final BufferPool pool;
    /** The extra batch slots every partition of the store shares (see BatchSlots). */
    private final BatchSlots slots;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConsumerOffsets offsets;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private LogStore(Path dir, DiskIo io, LogSettings settings, FileChannel lockChannel, FileLock lock) throws IOException {
        this.dir = dir;
        this.io = io;
        this.settings = settings;
        this.pool = new BufferPool(io);
        this.slots = BatchSlots.forSettings(settings);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.offsets = new ConsumerOffsets(io, dir);
    }

    /**
     * Opens the log in {@code dir} (creating it), and every topic in it: each partition is recovered
     * now (see {@link PartitionLog#open}).
     *
     * @throws IOException if the directory is in use by another process, or the disk fails
     */
    public static LogStore open(Path dir, DiskIo io, LogSettings settings) throws IOException {
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (created && dir.toAbsolutePath().getParent() != null) {
            Io.syncDirectory(io, dir.toAbsolutePath().getParent());
        }
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("the log directory " + dir + " is in use by another LogStore (lock on " + dir.resolve(".lock") + ")");
        }
        LogStore s = new LogStore(dir, io, settings, ch, lock);
        try {
            for (String t : s.topicNames()) {
                s.topic(t);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Path directory() {
        return dir;
    }

    public LogSettings settings() {
        return settings;
    }

    public DiskIo diskIo() {
        return io;
    }

    /** The topics on disk. */
    public List<String> topicNames() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(TOPIC_FILE))) {
                    names.add(p.getFileName().toString());
                }
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * Creates a topic with {@code partitions} partitions, or returns it if it exists with that many.
     *
     * @throws IllegalArgumentException if it exists with another partition count, or the name is not allowed
     */
    public synchronized Topic createTopic(String name, int partitions) throws IOException {
        Names.check("topic", name);
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be in [1, 10000]: " + partitions);
        }
        checkOpen();
        Path tdir = dir.resolve(name);
        if (Files.isRegularFile(tdir.resolve(TOPIC_FILE))) {
            Topic t = topic(name);
            if (t.partitionCount() != partitions) {
                throw new IllegalArgumentException("topic " + name + " exists with " + t.partitionCount() + " partitions, not " + partitions);
            }
            return t;
        }
        Files.createDirectories(tdir);
        Io.syncDirectory(io, dir);
        Properties p = new Properties();
        p.setProperty("partitions", Integer.toString(partitions));
        p.setProperty("format", "1");
        StringWriter w = new StringWriter();
        p.store(w, "LogCore topic " + name);
        Io.replaceFileAtomically(io, tdir.resolve(TOPIC_FILE), w.toString().getBytes(StandardCharsets.UTF_8));
        return topic(name);
    }

    /**
     * The topic {@code name}, opening (and recovering) its partitions on first use.
     *
     * @throws IllegalArgumentException if there is no such topic
     */
    public synchronized Topic topic(String name) throws IOException {
        checkOpen();
        Topic t = topics.get(name);
        if (t != null) {
            return t;
        }
        Names.check("topic", name);
        Path tdir = dir.resolve(name);
        Path tf = tdir.resolve(TOPIC_FILE);
        if (!Files.isRegularFile(tf)) {
            throw new IllegalArgumentException("no topic '" + name + "' in " + dir);
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(Io.readFile(io, tf, 1 << 20), StandardCharsets.UTF_8)));
        int n;
        try {
            n = Integer.parseInt(p.getProperty("partitions", "").trim());
        } catch (NumberFormatException e) {
            throw new CorruptLogException(tf + ": partitions is not a number: " + p.getProperty("partitions"));
        }
        List<PartitionLog> parts = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                parts.add(PartitionLog.open(name + "-" + i, tdir.resolve(Integer.toString(i)), io, settings, pool, slots));
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(PartitionLog::close);
            throw e;
        }
        t = new Topic(name, parts);
        topics.put(name, t);
        return t;
    }

    /** The topic if it exists. */
    public Optional<Topic> findTopic(String name) throws IOException {
        try {
            return Optional.of(topic(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The committed positions of consumer groups. */
    public ConsumerOffsets consumerOffsets() {
        return offsets;
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("the log at " + dir);
        }
    }

    /** Closes every partition (syncing what was acknowledged), then releases the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Topic t : topics.values()) {
            t.close();
        }
        pool.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            System.getLogger("dev.logcore.log").log(System.Logger.Level.WARNING, "releasing " + dir + "/.lock: " + e);
        }
    }
}
