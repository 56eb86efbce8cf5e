package dev.logcore.bench.disk;

/**
 * What one run measured.
 *
 * @param ops operations completed in the measured window
 * @param seconds the window
 * @param bytesPerOp bytes per operation
 * @param p50Nanos latency percentiles from submission to completion
 * @param cpuNanos user + system CPU time of the whole process (every thread, the kernel's io_uring
 *     workers included) over the window, from /proc
 * @param ownCpuNanos for fio, what fio itself reports (usr + sys of its job thread, which leaves out
 *     its io_uring worker threads); for the Java runs the same as {@code cpuNanos}
 * @param note anything worth saying (how latency was taken, an error)
 */
record Result(long ops, double seconds, int bytesPerOp, long p50Nanos, long p99Nanos, long p999Nanos, long cpuNanos,
        long ownCpuNanos, String note) {

    double iops() {
        return ops / seconds;
    }

    double mibPerSecond() {
        return iops() * bytesPerOp / (1 << 20);
    }

    double cpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : cpuNanos / 1000.0 / ops;
    }

    double ownCpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : ownCpuNanos / 1000.0 / ops;
    }
}
