package dev.logcore.log;

/**
 * A record read back, with the offset the log gave it.
 *
 * @param offset its offset in the partition
 * @param record the record
 */
public record FetchedRecord(long offset, Record record) {
}
