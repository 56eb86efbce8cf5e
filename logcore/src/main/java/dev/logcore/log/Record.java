package dev.logcore.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a producer appends: an optional key (it picks the partition), an optional value, headers
 * and a timestamp. The log assigns the offset. Arrays are not copied: do not change them after the
 * append until its future completes.
 *
 * @param key the key, or {@code null}
 * @param value the value, or {@code null}
 * @param headers the headers (may be empty, never null)
 * @param timestamp milliseconds since the epoch
 */
public record Record(byte[] key, byte[] value, List<Header> headers, long timestamp) {

    public Record {
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** A record stamped now, without headers. */
    public static Record of(byte[] key, byte[] value) {
        return new Record(key, value, List.of(), System.currentTimeMillis());
    }

    /** A keyless record stamped now. */
    public static Record of(byte[] value) {
        return of(null, value);
    }

    /** A record with UTF-8 key and value, stamped now. */
    public static Record of(String key, String value) {
        return of(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && r.timestamp == timestamp && Arrays.equals(r.key, key)
                && Arrays.equals(r.value, value) && r.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp);
    }

    @Override
    public String toString() {
        return "Record[key=" + (key == null ? "null" : key.length + " bytes") + ", value="
                + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers.size()
                + ", timestamp=" + timestamp + "]";
    }
}
