package dev.logcore.io.uring.jni;

import dev.logcore.io.DiskFile;
import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.FsyncKind;
import dev.logcore.io.IoBuffer;
import dev.logcore.io.OpenFlag;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The child of CrashTest: heavy synced writes into three files (two buffered, one O_DIRECT), eight
 * in flight per file, each record written with write-then-sync (linked SQEs) and acknowledged on
 * stdout ("ACK file seq") only once its future completed. Runs until it is killed.
 */
public final class CrashWriter {
    static final int RECORD = 4096;
    static final long MAGIC = 0x4C4F47434F524521L; // "LOGCORE!"
    static final String[] FILES = {"buffered-0.log", "buffered-1.log", "direct.log"};
    private static final int DEPTH = 8;

    private CrashWriter() {
    }

    /** Fills a record: magic, file, seq, CRC32C of the body, then a body derived from (file, seq). */
    static void fill(IoBuffer b, int file, long seq) {
        long x = seq * 0x9E3779B97F4A7C15L + file + 1;
        for (int i = 24; i < RECORD; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(i, x);
        }
        b.putLong(0, MAGIC).putInt(8, file).putLong(12, seq).putInt(20, crc(b));
    }

    static int crc(IoBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b.toArray(24, RECORD - 24));
        return (int) c.getValue();
    }

    /** Whether a record read back is exactly the one written for (file, seq). */
    static boolean intact(IoBuffer b, int file, long seq) {
        return b.getLong(0) == MAGIC && b.getInt(8) == file && b.getLong(12) == seq && b.getInt(20) == crc(b);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seconds = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        DiskIo engine = new UringJniProvider().open(DiskIoConfig.defaults());
        for (int f = 0; f < FILES.length; f++) {
            DiskFile file = engine.open(dir.resolve(FILES[f]), f == 2
                    ? new OpenFlag[] {OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.DIRECT}
                    : new OpenFlag[] {OpenFlag.WRITE, OpenFlag.CREATE}).get(30, TimeUnit.SECONDS);
            Writer w = new Writer(engine, file, f, out);
            for (int i = 0; i < DEPTH; i++) {
                w.next(engine.allocate(RECORD), engine.allocate(RECORD));
            }
        }
        out.println("STARTED");
        out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        out.println("NOT KILLED");
        out.flush();
        System.exit(3);
    }

    /** One file's writer: each completion acknowledges its record and starts the next. */
    private static final class Writer {
        private final DiskIo engine;
        private final DiskFile file;
        private final int index;
        private final PrintStream out;
        private long nextSeq;

        Writer(DiskIo engine, DiskFile file, int index, PrintStream out) {
            this.engine = engine;
            this.file = file;
            this.index = index;
            this.out = out;
        }

        synchronized void next(IoBuffer a, IoBuffer b) {
            long seq = nextSeq;
            nextSeq += 2;
            fill(a, index, seq);
            fill(b, index, seq + 1);
            // Two records, one gathered write linked to its fdatasync.
            file.writeThenSync(List.of(a, b), seq * RECORD, FsyncKind.DATA).whenComplete((n, err) -> {
                if (err != null) {
                    synchronized (out) {
                        out.println("ERROR " + err);
                        out.flush();
                    }
                    return;
                }
                synchronized (out) {
                    out.println("ACK " + index + " " + seq);
                    out.println("ACK " + index + " " + (seq + 1));
                    out.flush();
                }
                next(a, b);
            });
        }
    }
}
