package dev.logcore.bench.pubsub;

/**
 * What one load measured.
 *
 * @param seconds the measured window
 * @param publishedPerSecond PUBLISH replies received per second in the window
 * @param deliveredPerSecond messages received by subscribers per second in the window
 * @param lost messages published (over the whole run) that some subscriber never received
 * @param disconnects connections that closed during the run
 * @param wrongReceiverCounts PUBLISH replies that did not count the expected subscribers
 * @param outOfOrder messages that arrived before an earlier one of the same publisher
 * @param p50Micros end-to-end latency (publish to delivery), median
 * @param p90Micros 90th percentile
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros largest
 * @param serverCores the server's CPU use in cores over the window (user + system), or -1
 */
public record LoadResult(double seconds, double publishedPerSecond, double deliveredPerSecond, long lost, long disconnects,
                         long wrongReceiverCounts, long outOfOrder, double p50Micros, double p90Micros, double p99Micros,
                         double p999Micros, double maxMicros, double serverCores) {

    String format() {
        return String.format("delivered %,.0f msg/s, published %,.0f/s, lost %d, disconnects %d, wrong counts %d, out of order %d,"
                        + " latency us p50 %.0f p90 %.0f p99 %.0f p99.9 %.0f max %.0f%s",
                deliveredPerSecond, publishedPerSecond, lost, disconnects, wrongReceiverCounts, outOfOrder,
                p50Micros, p90Micros, p99Micros, p999Micros, maxMicros,
                serverCores >= 0 ? String.format(", server CPU %.2f cores", serverCores) : "");
    }

    String json() {
        return String.format(java.util.Locale.ROOT,
                "{\"seconds\":%.3f,\"publishedPerSecond\":%.1f,\"deliveredPerSecond\":%.1f,\"lost\":%d,\"disconnects\":%d,"
                        + "\"wrongReceiverCounts\":%d,\"outOfOrder\":%d,\"p50Micros\":%.1f,\"p90Micros\":%.1f,\"p99Micros\":%.1f,"
                        + "\"p999Micros\":%.1f,\"maxMicros\":%.1f,\"serverCores\":%.3f}",
                seconds, publishedPerSecond, deliveredPerSecond, lost, disconnects, wrongReceiverCounts, outOfOrder,
                p50Micros, p90Micros, p99Micros, p999Micros, maxMicros, serverCores);
    }
}
