package dev.logcore.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logcore.io.OpKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The intrusive MPSC queue: nothing lost, nothing twice, per-producer order kept. */
class OpQueueTest {

    /** A queue node that carries a producer id and a sequence number. */
    static final class Item extends RingOp<Void> {
        final int producer;
        final int seq;

        Item(int producer, int seq) {
            super(null, OpKind.READ, null);
            this.producer = producer;
            this.seq = seq;
        }

        @Override
        void prepare(RingLoop ring) {
        }

        @Override
        int complete(RingLoop ring, int part, int res) {
            return END;
        }
    }

    @Test
    void singleThreadFifoAndEmptiness() {
        OpQueue q = new OpQueue();
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        Item a = new Item(0, 0);
        Item b = new Item(0, 1);
        q.push(a);
        assertFalse(q.isEmpty());
        q.push(b);
        assertSame(a, q.poll());
        assertFalse(q.isEmpty(), "b is still there");
        assertSame(b, q.poll());
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        q.push(a); // a node can go round again once polled
        assertSame(a, q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void fourProducersOneConsumerLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        OpQueue q = new OpQueue();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    q.push(new Item(id, i));
                }
            }));
        }
        go.countDown();
        int[] next = new int[producers];
        int got = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (got < producers * perProducer) {
            RingOp<?> op = q.poll();
            if (op == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + got + " items arrived");
                }
                Thread.onSpinWait();
                continue;
            }
            Item it = (Item) op;
            assertEquals(next[it.producer], it.seq, "producer " + it.producer + "'s order");
            next[it.producer]++;
            got++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }
}
