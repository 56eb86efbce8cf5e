package dev.logcore.log;

/**
 * Where an appended record went.
 *
 * @param partition its partition
 * @param offset its offset there
 */
public record AppendResult(int partition, long offset) {
}
