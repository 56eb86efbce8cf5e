package dev.logcore.bench.disk;

import dev.logcore.io.uring.KernelRing;
import dev.logcore.io.uring.RingSetup;
import dev.logcore.io.uring.Sqe;
import dev.logcore.io.uring.ffi.FfiRing;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one crossing into the kernel's io_uring from Java: jnr-ffi (uring-ffi's
 * {@link FfiRing}) against JNI (uring-jni's ring over liburing), through the same
 * {@link KernelRing} interface the engine uses, on the same kind of ring (the engine's first
 * choice of flags: SUBMIT_ALL | SINGLE_ISSUER | DEFER_TASKRUN | CQSIZE).
 *
 * <ul>
 *   <li>{@code idleEnter}: {@code submitAndReap(0, 0)} on an idle ring: one
 *       {@code io_uring_enter(fd, 0, 0, IORING_ENTER_GETEVENTS)} and an empty reap. The difference
 *       between the two rows is the difference between the crossings.
 *   <li>{@code nopRoundTrip}: one NOP written, submitted and waited for in one enter, its CQE
 *       reaped: a whole operation's worth of ring work.
 *   <li>{@code batchedNops}: 32 NOPs in one enter, per NOP.
 * </ul>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/classes:benchmarks/target/lib/* \
 *     org.openjdk.jmh.Main FfiCrossingBench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FfiCrossingBench {
    private static final int FLAGS = Sqe.SETUP_SUBMIT_ALL | Sqe.SETUP_SINGLE_ISSUER | Sqe.SETUP_DEFER_TASKRUN | Sqe.SETUP_CQSIZE;

    @Param({"ffi", "jni"})
    public String via;

    private KernelRing ring;

    /** Opened on the benchmark thread (JMH runs thread-scoped setup there), as SINGLE_ISSUER wants. */
    @Setup(Level.Trial)
    public void open() throws Exception {
        RingSetup setup = new RingSetup(64, 128, FLAGS, 0, 0);
        ring = switch (via) {
            case "ffi" -> FfiRing.open(setup);
            case "jni" -> jniRing(setup);
            default -> throw new IllegalArgumentException(via);
        };
    }

    /** uring-jni's ring on its own, through the provider's public factory. */
    private static KernelRing jniRing(RingSetup setup) throws Exception {
        return dev.logcore.io.uring.jni.UringJniProvider.kernelRings().open(setup);
    }

    @TearDown(Level.Trial)
    public void close() {
        ring.close();
    }

    @Benchmark
    public int idleEnter() {
        return ring.submitAndReap(0, 0);
    }

    @Benchmark
    public int nopRoundTrip() {
        Sqe.write(ring.sqes(), ring.sqeOffset(0), Sqe.OP_NOP, 0, -1, 0, 0, 0, 0, 7, 0);
        return ring.submitAndReap(1, 1);
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(32)
    public int batchedNops() {
        for (int i = 0; i < 32; i++) {
            Sqe.write(ring.sqes(), ring.sqeOffset(i), Sqe.OP_NOP, 0, -1, 0, 0, 0, 0, i, 0);
        }
        int got = ring.submitAndReap(32, 32);
        while (got < 32) {
            got += ring.submitAndReap(0, 1);
        }
        return got;
    }
}
