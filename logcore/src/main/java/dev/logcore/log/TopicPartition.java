package dev.logcore.log;

import java.util.Objects;

/**
 * A topic's partition, as consumer positions name it.
 *
 * @param topic the topic
 * @param partition the partition number
 */
public record TopicPartition(String topic, int partition) {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
