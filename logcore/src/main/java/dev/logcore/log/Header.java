package dev.logcore.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a name and an optional value.
 *
 * @param name the name, at most 65,535 bytes in UTF-8
 * @param value the value, or {@code null}
 */
public record Header(String name, byte[] value) {

    public Header {
        Objects.requireNonNull(name, "header name");
        if (name.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new IllegalArgumentException("a header name is at most 65535 bytes in UTF-8: " + name.length() + " chars");
        }
    }

    /** A header with a UTF-8 string value. */
    public static Header of(String name, String value) {
        return new Header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The name in UTF-8, as stored. */
    public byte[] nameUtf8() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && h.name.equals(name) && Arrays.equals(h.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + name + "=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
