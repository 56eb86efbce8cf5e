package dev.logcore.io.uring.testkit;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProvider;
import dev.logcore.io.DiskIoProviders;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The child of {@link SigkillCrashTest}: writes numbered 4 KiB records through one provider (named
 * by the first argument, found by the ServiceLoader, default settings) as fast as it can, each write
 * a write-then-fdatasync (linked SQEs), {@value #IN_FLIGHT} in flight per file, and prints
 * {@code ACK <file> <seq>} for a record only once its write's future completed. Three files, so that
 * every shape of write the engine turns into SQEs is killed mid-flight: buffered and O_DIRECT, each
 * alternating one record (one buffer: WRITE or WRITE_FIXED) with two records in one gathered write
 * (WRITEV); and buffered with each record split into two unaligned pieces. It runs until killed.
 */
public final class CrashWriter {
    public static final int RECORD = 4096;
    public static final String[] FILES = {"buffered.dat", "direct.dat", "split.dat"};
    private static final int DIRECT = 1;
    private static final int SPLIT = 2;
    private static final int IN_FLIGHT = 8;

    private CrashWriter() {
    }

    /** Fills a record: file, sequence number, a pattern, and a CRC32C of the rest at the end. */
    static void fill(IoBuffer b, int file, long seq) {
        b.putInt(0, file);
        b.putLong(4, seq);
        for (int i = 12; i < RECORD - 4; i++) {
            b.putByte(i, (byte) (seq * 31 + i * 7 + file));
        }
        CRC32C crc = new CRC32C();
        crc.update(b.toArray(0, RECORD - 4));
        b.putInt(RECORD - 4, (int) crc.getValue());
    }

    /** Whether a read-back record is exactly, byte for byte, the one {@link #fill} wrote. */
    public static boolean intact(IoBuffer b, int file, long seq) {
        if (b.getInt(0) != file || b.getLong(4) != seq) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.toArray(0, RECORD - 4));
        if (b.getInt(RECORD - 4) != (int) crc.getValue()) {
            return false;
        }
        for (int i = 12; i < RECORD - 4; i++) {
            if (b.getByte(i) != (byte) (seq * 31 + i * 7 + file)) {
                return false;
            }
        }
        return true;
    }

    /** The flags to open file {@code f} with, for writing or for reading it back. */
    public static OpenFlag[] flags(int f, OpenFlag... access) {
        List<OpenFlag> fl = new ArrayList<>(List.of(access));
        if (f == DIRECT) {
            fl.add(OpenFlag.DIRECT);
        }
        return fl.toArray(new OpenFlag[0]);
    }

    /** Args: the provider's name, the directory. */
    public static void main(String[] args) throws Exception {
        DiskIoProvider provider = DiskIoProviders.discover().stream().filter(p -> p.name().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider " + args[0] + " on the class path"));
        Path dir = Path.of(args[1]);
        DiskIo engine = provider.open(DiskIoConfig.defaults());
        DiskFile[] files = new DiskFile[FILES.length];
        for (int f = 0; f < files.length; f++) {
            files[f] = engine.open(dir.resolve(FILES[f]), flags(f, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE))
                    .get(30, TimeUnit.SECONDS);
        }
        System.out.println("STARTED");
        System.out.flush();
        Thread[] writers = new Thread[files.length];
        for (int f = 0; f < files.length; f++) {
            int file = f;
            writers[f] = Thread.ofPlatform().start(() -> write(engine, files[file], file));
        }
        for (Thread t : writers) {
            t.join();
        }
    }

    private static void write(DiskIo engine, DiskFile file, int f) {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        try {
            for (long seq = 0, w = 0; ; w++) {
                slots.acquire();
                long first = seq;
                int records = f != SPLIT && w % 2 == 1 ? 2 : 1;
                seq += records;
                List<IoBuffer> srcs = new ArrayList<>();
                for (int r = 0; r < records; r++) {
                    IoBuffer b = engine.allocate(RECORD);
                    fill(b, f, first + r);
                    srcs.add(b);
                }
                if (f == SPLIT) {
                    srcs.add(srcs.getFirst().splitOff(1000)); // one record as a two-piece writev
                }
                file.writeThenSync(srcs, first * RECORD, FsyncKind.DATA).whenComplete((n, err) -> {
                    if (err != null || n != (long) records * RECORD) {
                        System.out.println("ERROR " + f + " " + first + " " + (err != null ? err : n + " bytes"));
                    } else {
                        for (int r = 0; r < records; r++) {
                            System.out.println("ACK " + f + " " + (first + r));
                        }
                    }
                    srcs.forEach(IoBuffer::close);
                    slots.release();
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
