package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreDurableAndSane() {
        LogSettings s = LogSettings.defaults();
        assertEquals(Durability.DURABLE, s.durability());
        assertEquals(1 << 30, s.segmentBytes());
        assertNull(s.retentionAge());
        assertEquals(-1, s.retentionBytes());
        assertEquals(4096, s.indexIntervalBytes());
    }

    @Test
    void stringsParseAndUnknownOrBadValuesFailClearly() {
        LogSettings s = LogSettings.fromMap(Map.of("durability", "interval", "syncIntervalMs", "20", "segmentBytes", "65536",
                "retentionAgeMs", "1000", "retentionBytes", "1000000", "lingerMs", "2"));
        assertEquals(Durability.INTERVAL, s.durability());
        assertEquals(Duration.ofMillis(20), s.syncInterval());
        assertEquals(Duration.ofSeconds(1), s.retentionAge());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogSettings.fromMap(Map.of("segmentByte", "1")));
        assertTrue(e.getMessage().contains("segmentByte"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogSettings.fromMap(Map.of("segmentBytes", "12")));
        assertTrue(e.getMessage().contains("segmentBytes=12") && e.getMessage().contains("outside"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogSettings.fromMap(Map.of("maxBatchRecords", "many")));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogSettings.fromMap(Map.of("durability", "sometimes")));
        assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.builder().syncInterval(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.builder().retentionBytes(-2).build());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.builder().maxInFlightBatches(0).build());
    }

    @Test
    void aBatchNeverOutgrowsASegment() {
        LogSettings s = LogSettings.builder().segmentBytes(4096).maxBatchBytes(1 << 20).build();
        assertEquals(4096, s.batchCapacity());
        assertEquals(4096 - 48, s.maxRecordBytes());
    }
}
