package dev.logcore.io;

import java.util.Objects;

/**
 * A provider's answer to "can you run here?": available (with a short note of what was found,
 * such as the kernel version), or unavailable with a reason a person can act on, such as
 * {@code "io_uring is disabled: sysctl kernel.io_uring_disabled=2"}.
 *
 * @param available whether the provider (or configuration) can run here
 * @param reason for an available provider what it found, for an unavailable one why not
 */
public record Availability(boolean available, String reason) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** Available; {@code note} says what was found. */
    public static Availability available(String note) {
        return new Availability(true, note);
    }

    /** Unavailable, for the given human reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return (available ? "available" : "unavailable") + ": " + reason;
    }
}
