package dev.logcore.app.pubsub;

import dev.logcore.app.config.Settings;

/**
 * The per-connection limits, from the settings.
 *
 * @param maxBulkLength longest bulk string accepted
 * @param maxInlineLength longest inline line and length header
 * @param maxQueryBuffer most unprocessed input per connection
 * @param maxConnections most connections at once
 * @param outputHardLimit pending output at which a subscriber is dropped at once (0 = none)
 * @param outputSoftLimit pending output a subscriber may keep only for {@code outputSoftSeconds} (0 = none)
 * @param outputSoftSeconds how long a subscriber may stay over the soft limit
 */
public record ServerLimits(int maxBulkLength, int maxInlineLength, long maxQueryBuffer, int maxConnections,
                           long outputHardLimit, long outputSoftLimit, long outputSoftSeconds) {

    public static ServerLimits of(Settings s) {
        return new ServerLimits(s.maxBulkLength(), s.maxInlineLength(), s.maxQueryBuffer(), s.maxConnections(),
                s.outputHardLimit(), s.outputSoftLimit(), s.outputSoftSeconds());
    }
}
