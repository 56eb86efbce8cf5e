package dev.logcore.log.format;

import dev.logcore.log.Header;
import dev.logcore.log.Record;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The layout of one record inside a batch. Fixed-width fields (no varints) keep encoding and the
 * recovery scan branch-free and fast; a 100-byte value costs 24 bytes of framing.
 *
 * <pre>
 * size field
 * 4    recordLength   int32: bytes of the record after this field
 * 8    timestamp      int64 ms since the epoch
 * 4    keyLength      int32, -1 for no key
 * k    key
 * 4    valueLength    int32, -1 for no value
 * v    value
 * 4    headerCount    int32 &gt;= 0
 *      headers        each: uint16 nameLength, name (UTF-8), int32 valueLength (-1: none), value
 * </pre>
 *
 * A record's offset is not stored: the i-th record of a batch has offset baseOffset + i.
 */
public final class RecordFormat {
    private RecordFormat() {
    }

    /** Framing bytes of a record with no key, no value bytes and no headers. */
    public static final int OVERHEAD = 4 + 8 + 4 + 4 + 4;
    /** The longest header name in UTF-8 bytes. */
    public static final int MAX_HEADER_NAME = 0xFFFF;

    /** The number of bytes {@code r} takes in a batch, length field included. */
    public static int sizeOf(Record r) {
        long n = OVERHEAD + len(r.key()) + len(r.value());
        for (Header h : r.headers()) {
            n += 2 + h.nameUtf8().length + 4 + len(h.value());
        }
        if (n > BatchFormat.MAX_BATCH_SIZE) {
            return Integer.MAX_VALUE;
        }
        return (int) n;
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Header> noHeaders() {
        return List.of();
    }
}
