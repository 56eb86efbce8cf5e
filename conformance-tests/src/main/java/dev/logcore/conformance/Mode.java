package dev.logcore.conformance;

/** How the suite's files are opened: through the page cache, or with O_DIRECT. */
public enum Mode {
    BUFFERED,
    DIRECT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
