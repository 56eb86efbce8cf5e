package dev.logcore.app.config;

import java.util.Locale;

/**
 * Byte sizes written the way Redis's config file writes them ({@code memtoll}): a plain number of
 * bytes, or a number with a unit where {@code k}, {@code m}, {@code g} are powers of 1000 and
 * {@code kb}, {@code mb}, {@code gb} powers of 1024 (case does not matter).
 */
public final class Sizes {
    private Sizes() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException if it is not a non-negative number with an optional unit
     */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size (a number of bytes, or with a unit such as 64kb, 32mb)");
        }
        long multiplier = switch (s.substring(i)) {
            case "", "b" -> 1L;
            case "k" -> 1000L;
            case "kb" -> 1024L;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown unit '" + s.substring(i) + "' (use b, k, kb, m, mb, g or gb)");
        };
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large");
        }
        return Math.multiplyExact(n, multiplier);
    }

    /** A size for humans: the largest binary unit that divides it exactly. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "gb";
        }
        if (bytes != 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "mb";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "kb";
        }
        return Long.toString(bytes);
    }
}
