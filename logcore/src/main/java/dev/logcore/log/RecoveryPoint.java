package dev.logcore.log;

import dev.logcore.io.DiskIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The partition's recovery point: a position up to which the log is known to be synced, written
 * (atomically, synced) when a partition closes cleanly. Recovery treats damage below it as
 * corruption, never as a torn tail. The file stays valid as the log grows: what was synced stays
 * synced.
 *
 * <pre>
 * offset size field
 *  0     2    magic         0x4C52 ("LR")
 *  2     1    version       1
 *  3     1    reserved      0
 *  4     4    crc           CRC32C of bytes [8, 32)
 *  8     8    segmentBase   the base offset of the segment it points into
 * 16     8    position      bytes of that segment's .log that were synced
 * 24     8    nextOffset    the offset after the last synced record
 * </pre>
 *
 * @param segmentBase the segment
 * @param position synced bytes in it
 * @param nextOffset the offset after the last synced record
 */
record RecoveryPoint(long segmentBase, long position, long nextOffset) {
    static final String FILE = "recovery-point";
    static final int SIZE = 32;

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putShort((short) 0x4C52).put((byte) 1).put((byte) 0).putInt(0);
        b.putLong(segmentBase).putLong(position).putLong(nextOffset);
        CRC32C c = new CRC32C();
        c.update(b.array(), 8, SIZE - 8);
        b.putInt(4, (int) c.getValue());
        return b.array();
    }

    /**
     * Decodes the file's bytes.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static RecoveryPoint decode(byte[] bytes) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("recovery point of " + bytes.length + " bytes, expected " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getShort(0) != 0x4C52 || b.get(2) != 1 || b.get(3) != 0) {
            throw new IllegalArgumentException("recovery point magic or version unknown");
        }
        CRC32C c = new CRC32C();
        c.update(bytes, 8, SIZE - 8);
        if (b.getInt(4) != (int) c.getValue()) {
            throw new IllegalArgumentException("recovery point CRC32C mismatch");
        }
        RecoveryPoint rp = new RecoveryPoint(b.getLong(8), b.getLong(16), b.getLong(24));
        if (rp.segmentBase < 0 || rp.position < 0 || rp.nextOffset < rp.segmentBase) {
            throw new IllegalArgumentException("recovery point fields inconsistent: " + rp);
        }
        return rp;
    }

    /** Reads the partition's recovery point; {@code null} if there is none. */
    static RecoveryPoint read(DiskIo io, Path dir) throws IOException {
        Path p = dir.resolve(FILE);
        if (!Files.exists(p)) {
            return null;
        }
        return decode(Io.readFile(io, p, 4096));
    }

    void write(DiskIo io, Path dir) throws IOException {
        Io.replaceFileAtomically(io, dir.resolve(FILE), encode());
    }
}
