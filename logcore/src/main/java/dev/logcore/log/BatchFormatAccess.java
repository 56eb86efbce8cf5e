package dev.logcore.log;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Big-endian layouts for reading batch fields in this package. */
final class BatchFormatAccess {
    private BatchFormatAccess() {
    }

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
}
