package dev.logcore.log;

import java.nio.file.Path;

/** Segment file names: the base offset, 20 digits zero-padded (as Kafka), then .log or .index. */
final class SegmentNames {
    private SegmentNames() {
    }

    static final String LOG = ".log";
    static final String INDEX = ".index";

    static String base(long offset) {
        return String.format("%020d", offset);
    }

    static Path log(Path dir, long baseOffset) {
        return dir.resolve(base(baseOffset) + LOG);
    }

    static Path index(Path dir, long baseOffset) {
        return dir.resolve(base(baseOffset) + INDEX);
    }

    /** The base offset named by a segment file name with that suffix, or -1 if it is not one. */
    static long parse(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return -1;
        }
        String digits = fileName.substring(0, 20);
        for (int i = 0; i < 20; i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
