package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Shared helpers of the log tests. */
final class Kit {
    private Kit() {
    }

    /** The value a test writes at {@code offset}: its content is a function of the offset. */
    static byte[] valueFor(long offset, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(offset * 0x9E3779B97F4A7C15L + 17);
        for (int i = 0; i < length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    static Record recordFor(long offset, int length) {
        return new Record(("k" + offset).getBytes(), valueFor(offset, length), List.of(), 1_000_000 + offset);
    }

    /** Appends records one at a time, each waiting for its ack: one batch each, durable marks dense. */
    static void appendOneByOne(PartitionLog p, long from, int count, int valueLength) {
        for (long o = from; o < from + count; o++) {
            assertEquals(o, p.append(recordFor(o, valueLength)).join());
        }
    }

    /** Every record from the log start to the end, checking offsets are dense. */
    static List<FetchedRecord> readAll(PartitionLog p) {
        List<FetchedRecord> out = new ArrayList<>();
        long off = p.logStartOffset();
        long end = p.logEndOffset();
        while (off < end) {
            try (FetchResult r = p.fetch(off, 1 << 20).join()) {
                for (FetchedRecord fr : r.records()) {
                    assertEquals(off, fr.offset(), "offsets are dense");
                    out.add(fr);
                    off++;
                }
                assertEquals(off, r.nextOffset());
            }
        }
        return out;
    }

    /** Checks that every record is the one {@link #recordFor} makes for its offset. */
    static void assertRecordsMatch(List<FetchedRecord> rs, int valueLength) {
        for (FetchedRecord fr : rs) {
            assertArrayEquals(valueFor(fr.offset(), valueLength), fr.record().value(), "value at offset " + fr.offset());
            assertEquals(1_000_000 + fr.offset(), fr.record().timestamp());
        }
    }

    static List<Path> segmentLogs(Path partitionDir) {
        try (Stream<Path> s = Files.list(partitionDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] b) {
        try {
            Files.write(p, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Batch start positions of a segment file, walking the length fields. */
    static List<Integer> batchStarts(byte[] log) {
        List<Integer> out = new ArrayList<>();
        int p = 0;
        while (p + 4 <= log.length) {
            int len = java.nio.ByteBuffer.wrap(log, p, 4).getInt();
            if (len <= 0 || p + len > log.length) {
                break;
            }
            out.add(p);
            p += len;
        }
        return out;
    }
}
