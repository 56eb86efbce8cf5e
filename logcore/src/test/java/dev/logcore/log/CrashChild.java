package dev.logcore.log;

import dev.logcore.io.DiskIo;
import dev.logcore.io.DiskIoConfig;
import dev.logcore.io.DiskIoProviders;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link ProcessCrashTest}: opens the partition in {@code args[0]} with the
 * provider {@code args[1]} under the durable policy and appends forever, {@code args[2]} appends in
 * flight, printing {@code ACK <offset>} for every acknowledged one. The parent kills it with SIGKILL.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String provider = args[1];
        int window = Integer.parseInt(args[2]);
        int valueLength = Integer.parseInt(args[3]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        DiskIo io = DiskIoProviders.select(provider).provider().open(DiskIoConfig.defaults());
        LogSettings s = LogSettings.builder().segmentBytes(256 << 10).maxInFlightBatches(2).build();
        PartitionLog p = PartitionLog.open("p", dir, io, s);
        if (p.isFenced()) {
            out.println("FENCED " + p.fenceReason().orElseThrow().getMessage());
            System.exit(3);
        }
        long start = p.logEndOffset();
        out.println("START " + start);
        Semaphore slots = new Semaphore(window);
        for (long o = start; ; o++) {
            slots.acquire();
            final long expected = o;
            p.append(Kit.recordFor(o, valueLength)).whenComplete((off, err) -> {
                if (err != null) {
                    out.println("FAIL " + expected + " " + err);
                } else if (off != expected) {
                    out.println("MISORDERED " + expected + " " + off);
                } else {
                    synchronized (out) {
                        out.println("ACK " + off);
                    }
                }
                slots.release();
            });
        }
    }
}
