package dev.logcore.io.uring.ffi;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import dev.logcore.io.uring.UringSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The child of {@link CrashTest}: writes numbered 4 KiB records through uring-ffi as fast as it
 * can, each with write-then-fdatasync (linked SQEs), several in flight per file, and prints
 * {@code ACK <file> <seq>} only once the record's future completed. Three files: buffered through
 * the registered buffer pool, O_DIRECT, and buffered with each record as a two-buffer writev.
 * It runs until it is killed.
 */
public final class CrashWriter {
    static final int RECORD = 4096;
    static final String[] FILES = {"buffered.dat", "direct.dat", "writev.dat"};
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

    /** Whether a read-back record is exactly the one {@link #fill} wrote. */
    static boolean intact(IoBuffer b, int file, long seq) {
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

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DiskIo engine = new UringFfiProvider().open(DiskIoConfig.of(Map.of(UringSettings.REGISTERED_BUFFERS, "8")));
        DiskFile[] files = {
            engine.open(dir.resolve(FILES[0]), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(30, TimeUnit.SECONDS),
            engine.open(dir.resolve(FILES[1]), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.DIRECT).get(30, TimeUnit.SECONDS),
            engine.open(dir.resolve(FILES[2]), OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE).get(30, TimeUnit.SECONDS),
        };
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
            for (long seq = 0; ; seq++) {
                slots.acquire();
                long s = seq;
                IoBuffer b = engine.allocate(RECORD);
                fill(b, f, s);
                List<IoBuffer> srcs;
                if (f == 2) {
                    IoBuffer tail = b.splitOff(1000); // one record as a two-piece writev
                    srcs = List.of(b, tail);
                } else {
                    srcs = List.of(b);
                }
                file.writeThenSync(srcs, s * RECORD, FsyncKind.DATA).whenComplete((n, err) -> {
                    if (err != null || n != RECORD) {
                        System.out.println("ERROR " + f + " " + s + " " + (err != null ? err : n + " bytes"));
                    } else {
                        System.out.println("ACK " + f + " " + s);
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
