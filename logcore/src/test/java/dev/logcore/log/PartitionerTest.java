package dev.logcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Key routing: one key one partition, keyless records spread evenly. */
class PartitionerTest {

    @Test
    void aKeyAlwaysPicksTheSamePartitionAndKeysSpread() {
        Partitioner p = new Partitioner(8);
        int[] counts = new int[8];
        for (int i = 0; i < 80_000; i++) {
            byte[] key = ("user-" + i).getBytes(StandardCharsets.UTF_8);
            int a = p.partitionFor(key);
            assertEquals(a, p.partitionFor(key.clone()));
            assertEquals(a, new Partitioner(8).partitionFor(key), "independent of the instance");
            counts[a]++;
        }
        for (int c : counts) {
            assertTrue(c > 9_000 && c < 11_000, "keys spread roughly evenly: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void keylessRecordsRoundRobinEvenly() {
        Partitioner p = new Partitioner(5);
        int[] counts = new int[5];
        for (int i = 0; i < 1000; i++) {
            counts[p.partitionFor(null)]++;
        }
        for (int c : counts) {
            assertEquals(200, c);
        }
    }

    @Test
    void murmur2MatchesKafka() {
        // Values of org.apache.kafka.common.utils.Utils.murmur2 (Kafka's UtilsTest).
        assertEquals(-973932308, Partitioner.murmur2("21".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-790332482, Partitioner.murmur2("foobar".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-985981536, Partitioner.murmur2("a-little-bit-long-string".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1486304829, Partitioner.murmur2("a-little-bit-longer-string".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-58897971, Partitioner.murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".getBytes(StandardCharsets.UTF_8)));
        assertEquals(479470107, Partitioner.murmur2(new byte[] {'a', 'b', 'c'}));
    }

    @Test
    void partitionCountMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Partitioner(0));
    }
}
